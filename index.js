// Lets code that requires the package by name (tests, tooling, other packages) reach the
// classes n8n loads through the `n8n` section of package.json.
const { HumirisChat } = require('./dist/nodes/HumirisChat/HumirisChat.node.js');
const { HumirisApi } = require('./dist/credentials/HumirisApi.credentials.js');

module.exports = { HumirisChat, HumirisApi };
