#!/bin/sh
# Claude Code: register the Matryoshka MCP server. Pick one.

# 1. stdio, for the current project (writes .mcp.json; images go to ./matryoshka-output):
claude mcp add matryoshka --scope project -- npx -y @matryoshka/mcp-server

# 2. Streamable HTTP, against a server you started yourself with
#      MATRYOSHKA_MCP_TOKEN=... npx -y @matryoshka/mcp-server --http
# claude mcp add --transport http matryoshka http://127.0.0.1:3917/mcp \
#   --header "Authorization: Bearer $MATRYOSHKA_MCP_TOKEN"
