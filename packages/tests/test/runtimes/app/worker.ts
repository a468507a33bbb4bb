import { runSeedFlow } from "./seedFlow";

// The seed flow as a Cloudflare Worker (ES modules syntax, no `nodejs_compat`): `POST /` with
// `{ "userUrl": … }` runs it and answers the result as JSON, or 500 with the error.

export default {
  async fetch(request: Request): Promise<Response> {
    const { userUrl } = (await request.json()) as { userUrl: string };
    try {
      return Response.json(await runSeedFlow(userUrl));
    } catch (error) {
      const text =
        error instanceof Error ? `${error.name}: ${error.message}\n${error.stack ?? ""}` : String(error);
      return new Response(text, { status: 500 });
    }
  },
};
