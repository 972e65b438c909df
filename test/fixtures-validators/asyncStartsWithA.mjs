// Async: accepts records whose text starts with "a", after a short wait.
export default async (text) => {
  await new Promise((resolve) => setTimeout(resolve, 1));
  return text.startsWith('a');
};
