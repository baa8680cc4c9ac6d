// Dev wiring: starts the local OpenAI stand-in when no OPENAI_API_KEY is set, so the embedded default runs offline.
import { startOpenAiStandIn, type OpenAiStandIn, type OpenAiStandInOptions } from '../../../local/openai/server.js';

export type { OpenAiStandIn, OpenAiStandInOptions };

/** A demo-like default: answers take a few hundred ms, as a real model's would. */
export const DEMO_STAND_IN: OpenAiStandInOptions = { latencyMs: 400, jitterMs: 250 };

export function startStandIn(options: OpenAiStandInOptions = DEMO_STAND_IN): Promise<OpenAiStandIn> {
  return startOpenAiStandIn(options);
}
