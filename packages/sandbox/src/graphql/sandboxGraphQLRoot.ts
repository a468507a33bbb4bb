import { answerDeviceBindingRequest } from "../deviceBinding/answerDeviceBindingRequest";
import { createDeviceBindingRequest } from "../deviceBinding/createDeviceBindingRequest";
import { deviceBindingRequestView } from "../deviceBinding/deviceBindingRequestView";
import { findOwnDeviceBindingRequest } from "../deviceBinding/findOwnDeviceBindingRequest";
import { deleteBoundDevice } from "../devices/deleteBoundDevice";
import { findApprovingDevice } from "../devices/findApprovingDevice";
import { listBoundDevices } from "../devices/listBoundDevices";
import { ApiError } from "../http/ApiError";
import type { GraphQLContext } from "./GraphQLContext";
import { requireConfirmedUser, requireUser } from "./requireUser";

/**
 * The resolvers of `sandboxGraphQLSchema`, as the root value of graphql-js (a function field is called
 * with `(args, context)`). Every field but introspection needs the bearer's user (401 otherwise, see
 * {@link requireUser}); resolvers throw {@link ApiError}s, which the route turns into GraphQL errors with
 * Kontist's `extensions: { status, type }`:
 *
 * - `viewer.mainAccount` needs a confirmed token (`cnf`): 403 otherwise.
 * - `newTransaction` (a subscription, served over WebSocket) needs a confirmed token too (403 otherwise):
 *   an async iterator of the user's transactions booked from then on (see `NewTransactionFeed`).
 * - `getDeviceBindingRequest(id)` is null for an unknown or foreign id; without an id it is the newest.
 * - `updateDeviceBindingRequest` is answered from a bound device: a confirmed token whose device still
 *   exists and is verified (403 otherwise); 404 for an unknown or foreign request; 409 once answered.
 * - `deleteBoundDevice` is 404 for an unknown or foreign device.
 *
 * @example
 * import { execute, parse } from "graphql";
 * import { readBearerToken } from "../auth/readBearerToken";
 * import { resolveSandboxOptions } from "../options/resolveSandboxOptions";
 * import { createSandboxRuntime } from "../server/createSandboxRuntime";
 * import type { GraphQLContext } from "./GraphQLContext";
 * import { sandboxGraphQLSchema } from "./sandboxGraphQLSchema";
 *
 * const runtime = createSandboxRuntime(resolveSandboxOptions());
 * const contextValue: GraphQLContext = {
 *   runtime,
 *   authentication: readBearerToken(runtime, undefined), // no token
 *   ipAddress: "127.0.0.1",
 * };
 * const result = await execute({
 *   schema: sandboxGraphQLSchema,
 *   document: parse("{ viewer { email } }"),
 *   rootValue: sandboxGraphQLRoot,
 *   contextValue,
 * });
 * result.errors?.[0]?.message; // "An access token is required (Authorization: Bearer <token>)."
 */
export const sandboxGraphQLRoot = {
  viewer: (_args: unknown, context: GraphQLContext) => {
    const { user } = requireUser(context);
    return {
      id: user.id,
      email: user.email,
      mainAccount: () => {
        requireConfirmedUser(context);
        return { iban: user.iban, balance: user.balance };
      },
    };
  },

  newTransaction: (_args: unknown, context: GraphQLContext) =>
    context.runtime.newTransactions.subscribe(requireConfirmedUser(context).user.id),

  getDeviceBindingRequest: ({ id }: { id?: string | null }, context: GraphQLContext) => {
    const { user } = requireUser(context);
    const request = findOwnDeviceBindingRequest(context.runtime.store, user.id, id);
    return request === undefined ? null : deviceBindingRequestView(request);
  },

  listBoundDevices: (_args: unknown, context: GraphQLContext) =>
    listBoundDevices(context.runtime.store, requireUser(context).user.id),

  createDeviceBindingRequest: (
    { deviceName, deviceId }: { deviceName: string; deviceId?: string | null },
    context: GraphQLContext,
  ) => {
    const { user } = requireUser(context);
    const request = createDeviceBindingRequest(context.runtime, user, {
      deviceName,
      deviceId,
      ipAddress: context.ipAddress,
    });
    return deviceBindingRequestView(request);
  },

  updateDeviceBindingRequest: (
    { id, isConfirmation }: { id: string; isConfirmation: boolean },
    context: GraphQLContext,
  ) => {
    const { claims, user } = requireUser(context);
    const { store } = context.runtime;
    findApprovingDevice(store, user.id, claims, "Answering a device binding request");
    const request = findOwnDeviceBindingRequest(store, user.id, id);
    if (request === undefined) throw new ApiError(404, "Device binding request not found.");
    answerDeviceBindingRequest(request, isConfirmation, context.runtime.now());
    return true;
  },

  deleteBoundDevice: ({ deviceId }: { deviceId: string }, context: GraphQLContext) => {
    deleteBoundDevice(context.runtime.store, requireUser(context).user.id, deviceId);
    return true;
  },
};
