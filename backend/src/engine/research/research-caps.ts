// The fixed caps that bound a research row's prompts: tool result sizes and tool calls honored per turn.

export interface ResearchCaps {
  /** Most tokens (o200k, and 4 characters each) of one web_search result message. */
  readonly searchResultTokens: number;
  /** Most tokens of one opened page's result message. */
  readonly pageTokens: number;
  /** Most tokens of any other tool message: a limit reached, bad arguments, a page that could not be opened. */
  readonly otherResultTokens: number;
  /** Tool calls honored per model turn; further calls of that turn are left out of the conversation. */
  readonly maxCallsPerTurn: number;
  /** Results asked of the search service per query. */
  readonly searchResults: number;
}

export const RESEARCH_CAPS: ResearchCaps = {
  searchResultTokens: 1_500,
  pageTokens: 3_000,
  otherResultTokens: 128,
  maxCallsPerTurn: 3,
  searchResults: 5,
};

/** What an echoed assistant turn adds beyond its own output tokens: message framing and the API-made call ids. */
export const ASSISTANT_TURN_OVERHEAD = 4;
export const TOOL_CALL_OVERHEAD = 24;
/** What a tool message adds beyond its content: framing and the call id it answers. */
export const TOOL_MESSAGE_OVERHEAD = 4 + 24;
