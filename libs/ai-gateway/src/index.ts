export * from './embeddings/embeddings.port';
