import * as z from "zod/mini";
import { isoDateTimeSchema, nonEmptyString } from "../fields";

// Device binding requests and bound devices live in Kontist's GraphQL schema (API.md, "Device binding").
// Field and argument names are Kontist's; the documents below select every documented field.

/**
 * A device binding request (`DeviceBindingRequest` in Kontist's schema): the user confirms it by e-mail or
 * on an already bound device, and from `confirmedAt` there are 3 minutes to create and verify the device.
 * `createdAt` is in Kontist's schema reference; it is optional here so a client never depends on it.
 */
export const deviceBindingRequestSchema = z.object({
  id: nonEmptyString,
  ipAddress: z.string(),
  deviceName: z.string(),
  address: z.string(),
  confirmedAt: z.optional(z.nullable(isoDateTimeSchema)),
  rejectedAt: z.optional(z.nullable(isoDateTimeSchema)),
  createdAt: z.optional(z.nullable(isoDateTimeSchema)),
});
export type DeviceBindingRequest = z.infer<typeof deviceBindingRequestSchema>;

/** A bound device (`BoundDevice` in Kontist's schema), as `listBoundDevices` lists it. */
export const boundDeviceSchema = z.object({
  id: nonEmptyString,
  name: z.string(),
});
export type BoundDevice = z.infer<typeof boundDeviceSchema>;

const deviceBindingRequestFields = "id ipAddress deviceName address confirmedAt rejectedAt createdAt";

/**
 * The GraphQL documents of the device operations, with Kontist's operation, argument and field names.
 *
 * @example
 * const response = await fetch("https://api.kontist.com/api/graphql", {
 *   method: "POST",
 *   headers: { authorization: "Bearer <access token>", "content-type": "application/json" },
 *   body: JSON.stringify({ query: deviceGraphQL.listBoundDevices }),
 * });
 */
export const deviceGraphQL = {
  /** `createDeviceBindingRequest(deviceName: String!, deviceId: String): DeviceBindingRequest!` */
  createDeviceBindingRequest: `mutation createDeviceBindingRequest($deviceName: String!, $deviceId: String) {
  createDeviceBindingRequest(deviceName: $deviceName, deviceId: $deviceId) { ${deviceBindingRequestFields} }
}`,
  /** `getDeviceBindingRequest(id: String): DeviceBindingRequest` */
  getDeviceBindingRequest: `query getDeviceBindingRequest($id: String) {
  getDeviceBindingRequest(id: $id) { ${deviceBindingRequestFields} }
}`,
  /** `updateDeviceBindingRequest(id: String!, isConfirmation: Boolean!): Boolean!` (from a bound device) */
  updateDeviceBindingRequest: `mutation updateDeviceBindingRequest($id: String!, $isConfirmation: Boolean!) {
  updateDeviceBindingRequest(id: $id, isConfirmation: $isConfirmation)
}`,
  /** `listBoundDevices: [BoundDevice!]!` */
  listBoundDevices: `query listBoundDevices {
  listBoundDevices { id name }
}`,
  /** `deleteBoundDevice(deviceId: String!): Boolean!` */
  deleteBoundDevice: `mutation deleteBoundDevice($deviceId: String!) {
  deleteBoundDevice(deviceId: $deviceId)
}`,
} as const;

/** `data` of {@link deviceGraphQL.createDeviceBindingRequest}. */
export const createDeviceBindingRequestDataSchema = z.object({
  createDeviceBindingRequest: deviceBindingRequestSchema,
});

/** `data` of {@link deviceGraphQL.getDeviceBindingRequest}: `null` for an unknown id. */
export const getDeviceBindingRequestDataSchema = z.object({
  getDeviceBindingRequest: z.nullable(deviceBindingRequestSchema),
});

/** `data` of {@link deviceGraphQL.updateDeviceBindingRequest}. */
export const updateDeviceBindingRequestDataSchema = z.object({
  updateDeviceBindingRequest: z.boolean(),
});

/** `data` of {@link deviceGraphQL.listBoundDevices}. */
export const listBoundDevicesDataSchema = z.object({
  listBoundDevices: z.array(boundDeviceSchema),
});

/** `data` of {@link deviceGraphQL.deleteBoundDevice}. */
export const deleteBoundDeviceDataSchema = z.object({
  deleteBoundDevice: z.boolean(),
});
