import { createSoftwareSigner } from "../signer/createSoftwareSigner";
import { describeSignerConformance } from ".";

describeSignerConformance("software signer (@noble/curves)", async () => ({
  signer: createSoftwareSigner(),
}));
