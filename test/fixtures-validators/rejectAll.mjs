// Rejects every record: drives the invalid budget to its limit.
export default () => false;
