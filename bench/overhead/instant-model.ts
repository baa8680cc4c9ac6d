// A ModelClient that answers at once, in process, with the stand-in's deterministic answer: only the engine's cost remains.
import type { CompletionRequest, CompletionResult, ModelClient } from '../../backend/src/ports/model.js';
import { simulateCompletion } from '../../local/openai/simulate.js';

export class InstantModel implements ModelClient {
  readonly simulated = true;
  calls = 0;

  validate(): Promise<void> {
    return Promise.resolve();
  }

  complete(request: CompletionRequest): Promise<CompletionResult> {
    this.calls++;
    // The same pure function the HTTP stand-in answers with, so the engine parses and validates a realistic answer.
    const answer = simulateCompletion({
      model: request.model,
      messages: request.messages,
      response_format: { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.schema, strict: true } },
      max_completion_tokens: request.maxOutputTokens,
    });
    return Promise.resolve({
      content: answer.content,
      usage: { inputTokens: answer.promptTokens, cachedInputTokens: 0, outputTokens: answer.completionTokens },
      refusal: null,
    });
  }
}
