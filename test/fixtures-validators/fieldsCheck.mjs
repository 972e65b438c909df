// Uses the fields argument: the second field must be a whole number.
export default (text, fields) => /^\d+$/.test(fields[1] ?? '');
