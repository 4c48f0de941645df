// Imported first by the tests that run with n8n's SSRF protection on: n8n reads its settings when
// its egress filter is first asked for, as an n8n started with this environment does.
process.env.N8N_SSRF_PROTECTION_ENABLED = 'true';
