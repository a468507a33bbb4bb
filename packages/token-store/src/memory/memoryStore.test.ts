import { describeTokenStoreContract } from "../testing/describeTokenStoreContract";
import { memoryStore } from "./memoryStore";

describeTokenStoreContract("memoryStore", () => ({ store: memoryStore() }));
