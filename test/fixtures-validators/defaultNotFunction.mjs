// Default export is not a function.
export default { validate: () => true };
