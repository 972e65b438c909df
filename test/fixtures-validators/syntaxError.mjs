// Deliberately broken: a syntax error on the next line.
export default (text) => text ===;
