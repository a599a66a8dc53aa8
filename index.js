// Lets code that requires the package by name (tests, tooling, other packages) reach the
// classes n8n loads through the `n8n` section of package.json. Humiris Chat Model loads the
// AI node SDK only when it runs, so requiring the package works on an n8n without it.
const { HumirisChat } = require('./dist/nodes/HumirisChat/HumirisChat.node.js');
const { LmChatHumiris } = require('./dist/nodes/LmChatHumiris/LmChatHumiris.node.js');
const { HumirisApi } = require('./dist/credentials/HumirisApi.credentials.js');

module.exports = { HumirisChat, LmChatHumiris, HumirisApi };
