/** dlcverify's version, as package.json says (a test keeps the two equal): reports name the tool that wrote them. */
export const VERSION = '0.1.0';
