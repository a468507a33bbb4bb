import { createSoftwareSigner } from "../signer/createSoftwareSigner";
import { describeSignerConformance } from ".";

describeSignerConformance("software signer (node:crypto on Node)", async () => ({
  signer: createSoftwareSigner(),
}));
