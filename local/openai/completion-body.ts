// The JSON body of a successful chat completion, shaped like OpenAI's so the real SDK parses it unchanged.

export interface CompletionBodyFacts {
  readonly seq: number;
  readonly model: string;
  readonly content: string | null;
  readonly refusal: string | null;
  readonly finishReason: 'stop' | 'length' | 'content_filter';
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export function completionBody(facts: CompletionBodyFacts): Record<string, unknown> {
  return {
    id: `chatcmpl-standin-${facts.seq}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: facts.model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: facts.content, refusal: facts.refusal, annotations: [] },
        logprobs: null,
        finish_reason: facts.finishReason,
      },
    ],
    usage: {
      prompt_tokens: facts.promptTokens,
      completion_tokens: facts.completionTokens,
      total_tokens: facts.promptTokens + facts.completionTokens,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 },
    },
    service_tier: 'default',
    system_fingerprint: 'fp_standin',
  };
}
