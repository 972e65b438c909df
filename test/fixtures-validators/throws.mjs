// Throws with a reason for texts containing "bad", accepts the rest; rejects (async) for "worse".
export default (text) => {
  if (text.includes('worse')) return Promise.reject(new Error(`async no: ${text}`));
  if (text.includes('bad')) throw new Error(`no "bad" allowed: ${text}`);
  return true;
};
