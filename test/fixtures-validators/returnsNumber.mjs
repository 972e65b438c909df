// Returns a number instead of true or false.
export default (text) => text.length;
