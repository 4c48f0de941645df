// n8n finds the node and the credential through the "n8n" block of package.json; nothing to export here.
module.exports = {};
