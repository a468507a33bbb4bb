import { project } from "../../vitest.preset";

export default project("crypto");
