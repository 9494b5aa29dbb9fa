/**
 * What a model replies when the passages do not answer the question: the shipped `answer` prompt
 * template asks for exactly this, and the answer becomes `found: false`.
 */
export const NOT_FOUND_SENTINEL = 'NOT_FOUND';
