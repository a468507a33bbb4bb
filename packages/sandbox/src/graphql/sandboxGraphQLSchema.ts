import { buildSchema } from "graphql";

/**
 * The GraphQL schema of the sandbox: the part of Kontist's schema the SDK's examples and tests use, with
 * Kontist's type, field and argument names. `balance` and `amount` are in cents, as at Kontist. Queries and
 * mutations are served by `POST /api/graphql`, the subscription over WebSocket (graphql-ws).
 */
export const sandboxGraphQLSdl = `
"An ISO 8601 date-time, e.g. 2026-11-30T10:00:00.000Z."
scalar DateTime

type Query {
  "The user the bearer token belongs to."
  viewer: User
  "Get device binding request: the user's request with this id (null for an unknown id), or without an id the newest."
  getDeviceBindingRequest(id: String): DeviceBindingRequest
  "Returns list of bound devices: the user's verified devices, oldest first."
  listBoundDevices: [BoundDevice!]!
}

type Mutation {
  "Create device binding request; the user confirms it by e-mail or on a bound device."
  createDeviceBindingRequest(deviceName: String!, deviceId: String): DeviceBindingRequest!
  "Update device binding request: confirm or reject it from a bound device (needs a confirmed token)."
  updateDeviceBindingRequest(id: String!, isConfirmation: Boolean!): Boolean!
  "Delete bound device."
  deleteBoundDevice(deviceId: String!): Boolean!
}

type Subscription {
  "A transaction booked on the user's main account (in the sandbox: POST /sandbox/transactions). Needs a confirmed token; served over WebSocket (graphql-ws) only."
  newTransaction: Transaction!
}

type User {
  id: ID!
  email: String!
  "The user's main account. Needs a confirmed token (MFA passed); null with a 403 error otherwise."
  mainAccount: Account
}

type Account {
  iban: String!
  "The balance in cents."
  balance: Int!
}

"A transaction of the main account; the sandbox has three of the fields of Kontist's Transaction."
type Transaction {
  id: ID!
  "The amount of the transaction in cents"
  amount: Int!
  name: String
}

"Device binding attempts"
type DeviceBindingRequest {
  id: ID!
  ipAddress: String!
  deviceName: String!
  address: String!
  confirmedAt: DateTime
  rejectedAt: DateTime
  createdAt: DateTime!
}

type BoundDevice {
  id: String!
  name: String!
}
`;

/** The schema of {@link sandboxGraphQLSdl}, built once; its resolvers are `sandboxGraphQLRoot`. */
export const sandboxGraphQLSchema = buildSchema(sandboxGraphQLSdl);
