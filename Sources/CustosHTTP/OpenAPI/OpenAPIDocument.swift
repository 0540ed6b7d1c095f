/// The OpenAPI 3.1 description of every route Custos serves, served as-is at
/// `GET /api/v1/docs/openapi.json`. Kept true by `OpenAPIDocumentTests` (every documented path
/// is a route and every route is documented) and by schemathesis in `interop/hostile`.
///
/// A literal rather than a resource file: the server stays one binary with nothing beside it.
/// Paths are absolute (`servers` is `/`): the API under the default prefix `/api/v1`, discovery,
/// JWKS and `/health` at the host root. The text must stay valid JSON.
enum OpenAPIDocument {
    static let json: String = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "Custos",
            "version": "0.1.0",
            "summary": "OAuth 2.1 / OpenID Connect authorization server with an admin API.",
            "description": "Every route Custos serves. Paths are absolute: the API under `/api/v1` (the default prefix), discovery, JWKS and `/health` at the host root. Admin and account errors are `SimpleResponse`; protocol errors are RFC 6749 `{error, error_description}`; the browser pages answer HTML."
          },
          "servers": [
            {
              "url": "/"
            }
          ],
          "tags": [
            {
              "name": "Admin: clients"
            },
            {
              "name": "Admin: users"
            },
            {
              "name": "Admin: signing keys"
            },
            {
              "name": "Account"
            },
            {
              "name": "Internal"
            },
            {
              "name": "OAuth 2.1"
            },
            {
              "name": "OpenID Connect"
            },
            {
              "name": "Dynamic registration"
            },
            {
              "name": "Browser pages"
            },
            {
              "name": "Discovery"
            },
            {
              "name": "Operations"
            }
          ],
          "paths": {
            "/.well-known/jwks.json": {
              "get": {
                "operationId": "jwks",
                "summary": "The public signing keys",
                "tags": [
                  "Discovery"
                ],
                "security": [],
                "responses": {
                  "200": {
                    "description": "The JWK Set.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/JWKS"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/PublicCache"
                      },
                      "Access-Control-Allow-Origin": {
                        "$ref": "#/components/headers/AnyOrigin"
                      }
                    }
                  }
                }
              }
            },
            "/.well-known/oauth-authorization-server": {
              "get": {
                "operationId": "authorizationServerMetadata",
                "summary": "Authorization server metadata (RFC 8414)",
                "tags": [
                  "Discovery"
                ],
                "security": [],
                "responses": {
                  "200": {
                    "description": "The same document as `/.well-known/openid-configuration`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ServerMetadata"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/PublicCache"
                      },
                      "Access-Control-Allow-Origin": {
                        "$ref": "#/components/headers/AnyOrigin"
                      }
                    }
                  }
                }
              }
            },
            "/.well-known/openid-configuration": {
              "get": {
                "operationId": "openIDConfiguration",
                "summary": "OpenID Provider metadata",
                "tags": [
                  "Discovery"
                ],
                "security": [],
                "responses": {
                  "200": {
                    "description": "The metadata.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/ServerMetadata"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/PublicCache"
                      },
                      "Access-Control-Allow-Origin": {
                        "$ref": "#/components/headers/AnyOrigin"
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/account": {
              "get": {
                "operationId": "accountPage",
                "summary": "The signed-in landing page",
                "tags": [
                  "Browser pages"
                ],
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "responses": {
                  "200": {
                    "description": "The account page.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      }
                    }
                  },
                  "303": {
                    "$ref": "#/components/responses/PageRedirect"
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/keys": {
              "get": {
                "operationId": "listSigningKeys",
                "summary": "List the signing keys",
                "tags": [
                  "Admin: signing keys"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Every key (one page).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "items": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/KeyItem"
                              }
                            },
                            "total": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "pagination": {
                              "$ref": "#/components/schemas/Pagination"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "items",
                            "total",
                            "pagination",
                            "message",
                            "timestamp"
                          ],
                          "description": "The signing keys."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/keys/rotate": {
              "post": {
                "operationId": "rotateSigningKey",
                "summary": "Create a new signing key",
                "tags": [
                  "Admin: signing keys"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "requestBody": {
                  "required": false,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RotateKeyRequest"
                      },
                      "example": {
                        "algorithm": "ES256"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Created.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/KeyItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "The new key."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients": {
              "get": {
                "operationId": "listClients",
                "summary": "List clients",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Page"
                  },
                  {
                    "$ref": "#/components/parameters/PageSize"
                  },
                  {
                    "name": "name",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    },
                    "description": "Part of the name."
                  },
                  {
                    "name": "status",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string",
                      "examples": [
                        "active",
                        "suspended"
                      ]
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of clients.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "items": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/ClientItem"
                              }
                            },
                            "total": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "pagination": {
                              "$ref": "#/components/schemas/Pagination"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "items",
                            "total",
                            "pagination",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.OAuthClientListResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "createClient",
                "summary": "Create a client",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/CreateClientRequest"
                      },
                      "example": {
                        "name": "My Application",
                        "redirect_uris": [
                          "https://app.example.com/callback"
                        ],
                        "scopes": [
                          "openid",
                          "profile",
                          "email"
                        ]
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Created; `client_secret` appears in this response only.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/CreateClientResponse"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.CreateClientDetailResponse`."
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "409": {
                    "$ref": "#/components/responses/AdminConflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}": {
              "get": {
                "operationId": "getClient",
                "summary": "Get a client",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The client.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/ClientItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.OAuthClientItemDetailResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "put": {
                "operationId": "updateClient",
                "summary": "Update a client (partial)",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/UpdateClientRequest"
                      },
                      "example": {
                        "name": "Renamed Application"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The updated client.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/ClientItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.OAuthClientItemDetailResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/AdminConflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "delete": {
                "operationId": "deleteClient",
                "summary": "Delete a client (soft)",
                "tags": [
                  "Admin: clients"
                ],
                "description": "The client disappears from get and list, its secrets stop working and its tokens are revoked.",
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "204": {
                    "$ref": "#/components/responses/NoContent"
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/audit-logs": {
              "get": {
                "operationId": "listClientAuditLogs",
                "summary": "A client's audit log",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  },
                  {
                    "$ref": "#/components/parameters/Page"
                  },
                  {
                    "$ref": "#/components/parameters/PageSize"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of entries.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "items": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/AuditItem"
                              }
                            },
                            "total": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "pagination": {
                              "$ref": "#/components/schemas/Pagination"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "items",
                            "total",
                            "pagination",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.OAuthAuditLogListResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/clone": {
              "post": {
                "operationId": "cloneClient",
                "summary": "Clone a client",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "201": {
                    "description": "The new client, with its own id and secret.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/CreateClientResponse"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.CloneClientDetailResponse`."
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/AdminConflict"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/rotate-secret": {
              "post": {
                "operationId": "rotateClientSecret",
                "summary": "Rotate the client secret",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The new secret, this once; earlier active secrets keep working for 4 hours.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/RotatedSecret"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.RotateSecretDetailResponse`."
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/AdminConflict"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/secrets": {
              "get": {
                "operationId": "listClientSecrets",
                "summary": "List a client's secrets",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The secrets, without values.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/SecretList"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.OAuthClientSecretListDetailResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "addClientSecret",
                "summary": "Add a client secret",
                "tags": [
                  "Admin: clients"
                ],
                "description": "409 when two secrets are active already.",
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "requestBody": {
                  "required": false,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AddSecretRequest"
                      },
                      "example": {
                        "description": "second secret"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "The new secret, this once.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/CreatedSecret"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.CreateClientSecretDetailResponse`."
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/AdminConflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/secrets/{secret_id}": {
              "delete": {
                "operationId": "deleteClientSecret",
                "summary": "Delete a client secret",
                "tags": [
                  "Admin: clients"
                ],
                "description": "400 for the last active secret.",
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  },
                  {
                    "$ref": "#/components/parameters/SecretID"
                  }
                ],
                "responses": {
                  "204": {
                    "$ref": "#/components/responses/NoContent"
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/secrets/{secret_id}/deactivate": {
              "put": {
                "operationId": "deactivateClientSecret",
                "summary": "Deactivate a client secret",
                "tags": [
                  "Admin: clients"
                ],
                "description": "400 for the last active secret.",
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  },
                  {
                    "$ref": "#/components/parameters/SecretID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The secret, now inactive.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/SecretItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.OAuthClientSecretDetailResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/stats": {
              "get": {
                "operationId": "getClientStats",
                "summary": "A client's token statistics",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The statistics.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/ClientStats"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.ClientStatsDetailResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/clients/{client_id}/tokens": {
              "get": {
                "operationId": "listClientTokens",
                "summary": "A client's active tokens",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  },
                  {
                    "$ref": "#/components/parameters/Page"
                  },
                  {
                    "$ref": "#/components/parameters/PageSize"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of active tokens (never their text).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "items": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/TokenItem"
                              }
                            },
                            "total": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "pagination": {
                              "$ref": "#/components/schemas/Pagination"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "items",
                            "total",
                            "pagination",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.OAuthTokenListResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "delete": {
                "operationId": "revokeClientTokens",
                "summary": "Revoke all of a client's tokens",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  },
                  {
                    "name": "grace_period",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "integer",
                      "format": "int64",
                      "minimum": 0,
                      "maximum": 2592000,
                      "default": 0
                    },
                    "description": "Seconds the tokens keep working."
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The counts.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/TokenRevocationCounts"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.RevokeClientTokensDetailResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/tokens/user/{user_id}": {
              "delete": {
                "operationId": "revokeUserTokens",
                "summary": "Revoke all of a user's tokens",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The counts.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/TokenRevocationCounts"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`handler.swaggerBatchRevokeDetailResponse`."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/registration-tokens": {
              "get": {
                "operationId": "listRegistrationTokens",
                "summary": "List dynamic-registration tokens",
                "tags": [
                  "Admin: clients"
                ],
                "description": "Each token's id and policy (scopes, grant types), expiry, max_uses and uses; never the token itself.",
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Page"
                  },
                  {
                    "$ref": "#/components/parameters/PageSize"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of registration tokens.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "items": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/RegistrationTokenItem"
                              }
                            },
                            "total": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "pagination": {
                              "$ref": "#/components/schemas/Pagination"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "items",
                            "total",
                            "pagination",
                            "message",
                            "timestamp"
                          ]
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "createRegistrationToken",
                "summary": "Create a dynamic-registration token",
                "tags": [
                  "Admin: clients"
                ],
                "description": "An initial access token for `POST /api/v1/oauth/register` (RFC 7591 §3) whose registrations may have the listed scopes and grant types (defaults: the standard OpenID scopes; authorization_code and refresh_token). Reserved scopes (`admin`, `account`) are refused. The token appears in this response only.",
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "requestBody": {
                  "required": false,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RegistrationTokenRequest"
                      },
                      "example": {
                        "scopes": [
                          "read:orders"
                        ],
                        "grant_types": [
                          "client_credentials"
                        ],
                        "expires_in": 3600,
                        "max_uses": 1
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Created; `token` appears in this response only.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/RegistrationTokenItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "The token with its policy."
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/oauth/registration-tokens/{token_id}": {
              "delete": {
                "operationId": "deleteRegistrationToken",
                "summary": "End a dynamic-registration token",
                "tags": [
                  "Admin: clients"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/RegistrationTokenID"
                  }
                ],
                "responses": {
                  "204": {
                    "$ref": "#/components/responses/NoContent"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/users": {
              "get": {
                "operationId": "listUsers",
                "summary": "List users",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Page"
                  },
                  {
                    "$ref": "#/components/parameters/PageSize"
                  },
                  {
                    "name": "email",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "username",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "status",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string",
                      "examples": [
                        "active",
                        "disabled",
                        "locked"
                      ]
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of users.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "items": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/UserItem"
                              }
                            },
                            "total": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "pagination": {
                              "$ref": "#/components/schemas/Pagination"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "items",
                            "total",
                            "pagination",
                            "message",
                            "timestamp"
                          ],
                          "description": "A list of users."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "createUser",
                "summary": "Create a user",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/UserRequest"
                      },
                      "example": {
                        "username": "alice",
                        "email": "alice@example.com",
                        "name": "Alice"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Created.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/UserItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "The new user."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "409": {
                    "$ref": "#/components/responses/AdminConflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/users/{user_id}": {
              "get": {
                "operationId": "getUser",
                "summary": "Get a user",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The user.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/UserItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "The user."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "put": {
                "operationId": "updateUser",
                "summary": "Update a user (partial)",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/UserRequest"
                      },
                      "example": {
                        "name": "Alice Example"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The updated user.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/UserItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "The user."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "409": {
                    "$ref": "#/components/responses/AdminConflict"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              },
              "delete": {
                "operationId": "deleteUser",
                "summary": "Delete a user (soft)",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "responses": {
                  "204": {
                    "$ref": "#/components/responses/NoContent"
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/users/{user_id}/disable": {
              "post": {
                "operationId": "disableUser",
                "summary": "Disable a user",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The user, now disabled.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/UserItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "The user."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/users/{user_id}/enable": {
              "post": {
                "operationId": "enableUser",
                "summary": "Enable a user",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The user, now active.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/UserItem"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "The user."
                        }
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/users/{user_id}/password": {
              "put": {
                "operationId": "setUserPassword",
                "summary": "Set a user's password",
                "tags": [
                  "Admin: users"
                ],
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/PasswordRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "204": {
                    "$ref": "#/components/responses/NoContent"
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/admin/users/{user_id}/sessions": {
              "delete": {
                "operationId": "endUserSessions",
                "summary": "End every browser session of a user",
                "tags": [
                  "Admin: users"
                ],
                "description": "Clients with a back-channel logout URI are told.",
                "security": [
                  {
                    "adminBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/UserID"
                  }
                ],
                "responses": {
                  "204": {
                    "$ref": "#/components/responses/NoContent"
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/AdminUnauthorized"
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/consent": {
              "get": {
                "operationId": "consentPage",
                "summary": "The consent page",
                "tags": [
                  "Browser pages"
                ],
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "name": "client_id",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "scope",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "return_to",
                    "in": "query",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The consent form.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      }
                    }
                  },
                  "303": {
                    "$ref": "#/components/responses/PageRedirect"
                  },
                  "400": {
                    "$ref": "#/components/responses/PageBadRequest"
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "consent",
                "summary": "Record a consent decision",
                "tags": [
                  "Browser pages"
                ],
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/ConsentForm"
                      }
                    }
                  }
                },
                "responses": {
                  "303": {
                    "$ref": "#/components/responses/PageRedirect"
                  },
                  "400": {
                    "$ref": "#/components/responses/PageBadRequest"
                  },
                  "403": {
                    "$ref": "#/components/responses/PageForbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/PageTooLarge"
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              }
            },
            "/api/v1/docs/openapi.json": {
              "get": {
                "operationId": "openAPIDocument",
                "summary": "This document",
                "tags": [
                  "Discovery"
                ],
                "security": [],
                "responses": {
                  "200": {
                    "description": "The OpenAPI 3.1 description of every route.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "openapi": {
                              "type": "string"
                            },
                            "paths": {
                              "type": "object"
                            }
                          },
                          "required": [
                            "openapi",
                            "paths"
                          ]
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/PublicCache"
                      }
                    }
                  }
                }
              }
            },
            "/api/v1/internal/oauth/introspect": {
              "post": {
                "operationId": "introspectInternal",
                "summary": "Introspect a token (internal JSON variant)",
                "tags": [
                  "Internal"
                ],
                "security": [
                  {
                    "adminBearer": []
                  },
                  {
                    "clientBasic": []
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/InternalIntrospectRequest"
                      },
                      "example": {
                        "token": "custos_at_example"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The token's facts (`active: false` and empty fields when it is not active).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/InternalIntrospection"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`handler.swaggerInternalIntrospectDetailResponse`."
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "401": {
                    "description": "Neither an administrator token nor valid client credentials.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/SimpleResponse"
                            },
                            {
                              "properties": {
                                "code": {
                                  "const": 401
                                }
                              }
                            }
                          ]
                        }
                      }
                    },
                    "headers": {
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "403": {
                    "$ref": "#/components/responses/AdminForbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/AdminTooLarge"
                  },
                  "415": {
                    "$ref": "#/components/responses/AdminUnsupportedMediaType"
                  },
                  "429": {
                    "description": "Too many failed client authentications from this address (`Retry-After`).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/SimpleResponse"
                        }
                      }
                    },
                    "headers": {
                      "Retry-After": {
                        "$ref": "#/components/headers/RetryAfter"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/login": {
              "get": {
                "operationId": "loginPage",
                "summary": "The sign-in page",
                "tags": [
                  "Browser pages"
                ],
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "name": "return_to",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    },
                    "description": "A path on this server to continue to."
                  },
                  {
                    "name": "client_id",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "login_hint",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "prompt",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The sign-in form (sets the CSRF cookie).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      }
                    }
                  },
                  "303": {
                    "$ref": "#/components/responses/PageRedirect"
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "login",
                "summary": "Sign in",
                "tags": [
                  "Browser pages"
                ],
                "security": [],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/LoginForm"
                      }
                    }
                  }
                },
                "responses": {
                  "303": {
                    "description": "Signed in: sets the session cookie and continues to `return_to`.",
                    "headers": {
                      "Location": {
                        "$ref": "#/components/headers/Location"
                      }
                    }
                  },
                  "401": {
                    "description": "The sign-in form again: wrong username or password (RFC 9110 §15.5.2: with a `WWW-Authenticate` challenge).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateAny"
                      }
                    }
                  },
                  "403": {
                    "$ref": "#/components/responses/PageForbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/PageTooLarge"
                  },
                  "429": {
                    "description": "The sign-in form again: too many attempts (`Retry-After` when the address is over its rate).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      },
                      "Retry-After": {
                        "$ref": "#/components/headers/RetryAfterOptional"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              }
            },
            "/api/v1/logout": {
              "post": {
                "operationId": "logoutForm",
                "summary": "Sign out (the account page's form)",
                "tags": [
                  "Browser pages"
                ],
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/CSRFForm"
                      }
                    }
                  }
                },
                "responses": {
                  "303": {
                    "$ref": "#/components/responses/PageRedirect"
                  },
                  "403": {
                    "$ref": "#/components/responses/PageForbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/PageTooLarge"
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              }
            },
            "/api/v1/oauth/authorize": {
              "get": {
                "operationId": "authorize",
                "summary": "Authorization endpoint",
                "tags": [
                  "OpenID Connect"
                ],
                "description": "RFC 6749 §4.1.1, OpenID Connect Core §3.1.2. PKCE with S256 is required.",
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "name": "response_type",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "client_id",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "redirect_uri",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "scope",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "state",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "code_challenge",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "code_challenge_method",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "response_mode",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "nonce",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "prompt",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "max_age",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "id_token_hint",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "login_hint",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "acr_values",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "claims",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "ui_locales",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "request",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "request_uri",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "`response_mode=form_post`: an auto-submitting form to the client's redirect URI.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "302": {
                    "description": "The authorization response (`code` or `error`, `state`, `iss`) at the client's redirect URI.",
                    "headers": {
                      "Location": {
                        "$ref": "#/components/headers/Location"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "303": {
                    "description": "To the sign-in or consent page (and, after a POST, the authorization response).",
                    "headers": {
                      "Location": {
                        "$ref": "#/components/headers/Location"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "description": "An error page: the client or redirect URI cannot be trusted, or the request is malformed.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "authorizePost",
                "summary": "Authorization endpoint (POST)",
                "tags": [
                  "OpenID Connect"
                ],
                "description": "RFC 6749 §3.1: the parameters form-encoded. The swagger's JSON variant submits the signed-in user's decision (`approved`).",
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {
                    "userBearer": []
                  },
                  {}
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/AuthorizationRequest"
                      }
                    },
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/AuthorizationJSONRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "`form_post` delivery (HTML), or the code as JSON for a JSON request without `redirect_uri`.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      },
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AuthorizationCode"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "303": {
                    "description": "To the sign-in or consent page (and, after a POST, the authorization response).",
                    "headers": {
                      "Location": {
                        "$ref": "#/components/headers/Location"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "description": "An error page (form), or an OAuth error (JSON).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      },
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "401": {
                    "description": "JSON variant: `login_required` (RFC 9110 §15.5.2: with a `WWW-Authenticate` challenge).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateAny"
                      }
                    }
                  },
                  "403": {
                    "description": "JSON variant: `access_denied` (`user_id` is not the authenticated user).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "413": {
                    "description": "An error page: the body exceeds the configured limit.",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              }
            },
            "/api/v1/oauth/client/{client_id}": {
              "get": {
                "operationId": "getPublicClientInfo",
                "summary": "Public facts about a client",
                "tags": [
                  "Account"
                ],
                "security": [],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The client's public facts.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "data": {
                              "$ref": "#/components/schemas/PublicClientInfo"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "data",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.DataResponse-dto_PublicClientInfo`."
                        }
                      }
                    }
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/oauth/consents": {
              "get": {
                "operationId": "listConsents",
                "summary": "The signed-in user's consents",
                "tags": [
                  "Account"
                ],
                "security": [
                  {
                    "userBearer": []
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Every consent (one page).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "code": {
                              "type": "integer",
                              "const": 0
                            },
                            "items": {
                              "type": "array",
                              "items": {
                                "$ref": "#/components/schemas/ConsentItem"
                              }
                            },
                            "total": {
                              "type": "integer",
                              "minimum": 0
                            },
                            "pagination": {
                              "$ref": "#/components/schemas/Pagination"
                            },
                            "message": {
                              "type": "string"
                            },
                            "timestamp": {
                              "type": "string",
                              "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                              "description": "RFC 3339 UTC time with second precision."
                            }
                          },
                          "required": [
                            "code",
                            "items",
                            "total",
                            "pagination",
                            "message",
                            "timestamp"
                          ],
                          "description": "`dto.ConsentListResponse`."
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "No valid user access token.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/SimpleResponse"
                            },
                            {
                              "properties": {
                                "code": {
                                  "const": 401
                                }
                              }
                            }
                          ]
                        }
                      }
                    },
                    "headers": {
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "403": {
                    "description": "The token may not be used here.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/SimpleResponse"
                            },
                            {
                              "properties": {
                                "code": {
                                  "const": 403
                                }
                              }
                            }
                          ]
                        }
                      }
                    },
                    "headers": {
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/oauth/consents/{id}": {
              "delete": {
                "operationId": "withdrawConsent",
                "summary": "Withdraw a consent",
                "tags": [
                  "Account"
                ],
                "description": "Also revokes the client's tokens for the user.",
                "security": [
                  {
                    "userBearer": []
                  }
                ],
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "204": {
                    "$ref": "#/components/responses/NoContent"
                  },
                  "400": {
                    "$ref": "#/components/responses/AdminBadRequest"
                  },
                  "404": {
                    "$ref": "#/components/responses/AdminNotFound"
                  },
                  "401": {
                    "description": "No valid user access token.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/SimpleResponse"
                            },
                            {
                              "properties": {
                                "code": {
                                  "const": 401
                                }
                              }
                            }
                          ]
                        }
                      }
                    },
                    "headers": {
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "403": {
                    "description": "The token may not be used here.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "allOf": [
                            {
                              "$ref": "#/components/schemas/SimpleResponse"
                            },
                            {
                              "properties": {
                                "code": {
                                  "const": 403
                                }
                              }
                            }
                          ]
                        }
                      }
                    },
                    "headers": {
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/AdminServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/AdminUnavailable"
                  }
                }
              }
            },
            "/api/v1/oauth/introspect": {
              "post": {
                "operationId": "introspect",
                "summary": "Introspect a token",
                "tags": [
                  "OAuth 2.1"
                ],
                "description": "RFC 7662. The caller must be an authenticated client (not a public one) or hold an admin token.",
                "security": [
                  {
                    "clientBasic": []
                  },
                  {
                    "adminBearer": []
                  },
                  {}
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/IntrospectionRequest"
                      },
                      "example": {
                        "token": "custos_at_example"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The token's facts, or exactly `{\"active\": false}`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Introspection"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/OAuthBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/OAuthUnauthorized"
                  },
                  "413": {
                    "$ref": "#/components/responses/OAuthTooLarge"
                  },
                  "429": {
                    "$ref": "#/components/responses/OAuthTooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/OAuthServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              }
            },
            "/api/v1/oauth/logout": {
              "get": {
                "operationId": "endSession",
                "summary": "End-session endpoint",
                "tags": [
                  "OpenID Connect"
                ],
                "description": "OpenID Connect RP-Initiated Logout 1.0.",
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "name": "id_token_hint",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "client_id",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "post_logout_redirect_uri",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "state",
                    "in": "query",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The confirmation page, or the signed-out page (front-channel logout iframes).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      }
                    }
                  },
                  "303": {
                    "$ref": "#/components/responses/PageRedirect"
                  },
                  "400": {
                    "$ref": "#/components/responses/PageBadRequest"
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "endSessionPost",
                "summary": "End-session endpoint (POST)",
                "tags": [
                  "OpenID Connect"
                ],
                "security": [
                  {
                    "sessionCookie": []
                  },
                  {}
                ],
                "requestBody": {
                  "required": false,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/EndSessionRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The confirmation page, or the signed-out page (front-channel logout iframes).",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "X-Frame-Options": {
                        "$ref": "#/components/headers/FrameDeny"
                      }
                    }
                  },
                  "303": {
                    "$ref": "#/components/responses/PageRedirect"
                  },
                  "400": {
                    "$ref": "#/components/responses/PageBadRequest"
                  },
                  "500": {
                    "$ref": "#/components/responses/PageServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/PageUnavailable"
                  },
                  "403": {
                    "$ref": "#/components/responses/PageForbidden"
                  },
                  "413": {
                    "$ref": "#/components/responses/PageTooLarge"
                  }
                }
              }
            },
            "/api/v1/oauth/refresh": {
              "post": {
                "operationId": "refresh",
                "summary": "Refresh a token (JSON variant)",
                "tags": [
                  "OAuth 2.1"
                ],
                "description": "The refresh_token grant of the token endpoint with a JSON (or form) body; the answer is RFC 6749 §5.1.",
                "security": [
                  {
                    "clientBasic": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Origin"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/RefreshRequest"
                      },
                      "example": {
                        "refresh_token": "custos_rt_example"
                      }
                    },
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RefreshRequest"
                      },
                      "example": {
                        "refresh_token": "custos_rt_example"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Tokens.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/TokenResponse"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/OAuthBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/OAuthUnauthorized"
                  },
                  "413": {
                    "$ref": "#/components/responses/OAuthTooLarge"
                  },
                  "429": {
                    "$ref": "#/components/responses/OAuthTooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/OAuthServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              },
              "options": {
                "operationId": "refreshPreflight",
                "summary": "CORS preflight",
                "tags": [
                  "OAuth 2.1"
                ],
                "security": [],
                "parameters": [
                  {
                    "name": "Origin",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Method",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Headers",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "204": {
                    "description": "With an `Origin`: the CORS answer (`Access-Control-Allow-Origin`, `-Methods`, `-Headers`, `-Max-Age`); the actual response allows only the client's own origins."
                  }
                }
              }
            },
            "/api/v1/oauth/register": {
              "post": {
                "operationId": "registerClient",
                "summary": "Register a client (RFC 7591)",
                "tags": [
                  "Dynamic registration"
                ],
                "security": [
                  {
                    "initialAccessToken": []
                  },
                  {}
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RegistrationRequest"
                      },
                      "example": {
                        "client_name": "Example RP",
                        "redirect_uris": [
                          "https://rp.example.com/cb"
                        ],
                        "grant_types": [
                          "authorization_code"
                        ],
                        "scope": "openid profile"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Registered: the metadata with `client_secret` (when the method uses one) and the `registration_access_token`.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RegistrationResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "`invalid_client_metadata` or `invalid_redirect_uri` (RFC 7591 §3.2.2).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RegistrationError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "401": {
                    "description": "`invalid_token`: the initial or registration access token is missing or wrong.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "403": {
                    "description": "`access_denied`: dynamic registration is disabled.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "413": {
                    "description": "The request body exceeds the configured limit.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RegistrationError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "500": {
                    "description": "An unexpected failure; no body."
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  },
                  "429": {
                    "$ref": "#/components/responses/OAuthTooManyRequests"
                  }
                }
              }
            },
            "/api/v1/oauth/register/{client_id}": {
              "get": {
                "operationId": "readRegistration",
                "summary": "Read a registration (RFC 7592)",
                "tags": [
                  "Dynamic registration"
                ],
                "security": [
                  {
                    "registrationBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The registered metadata.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RegistrationResponse"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "`invalid_token`: the initial or registration access token is missing or wrong.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "403": {
                    "description": "`access_denied`: dynamic registration is disabled.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "500": {
                    "description": "An unexpected failure; no body."
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              },
              "put": {
                "operationId": "replaceRegistration",
                "summary": "Replace a registration (RFC 7592)",
                "tags": [
                  "Dynamic registration"
                ],
                "security": [
                  {
                    "registrationBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RegistrationRequest"
                      },
                      "example": {
                        "client_name": "Example RP",
                        "redirect_uris": [
                          "https://rp.example.com/cb"
                        ],
                        "scope": "openid"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The registered metadata.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RegistrationResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "`invalid_client_metadata` or `invalid_redirect_uri` (RFC 7591 §3.2.2).",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RegistrationError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "401": {
                    "description": "`invalid_token`: the initial or registration access token is missing or wrong.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "403": {
                    "description": "`access_denied`: dynamic registration is disabled.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "413": {
                    "description": "The request body exceeds the configured limit.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RegistrationError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "500": {
                    "description": "An unexpected failure; no body."
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              },
              "delete": {
                "operationId": "deleteRegistration",
                "summary": "Delete a registration (RFC 7592)",
                "tags": [
                  "Dynamic registration"
                ],
                "security": [
                  {
                    "registrationBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/ClientID"
                  }
                ],
                "responses": {
                  "204": {
                    "description": "Deleted; no body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "401": {
                    "description": "`invalid_token`: the initial or registration access token is missing or wrong.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "403": {
                    "description": "`access_denied`: dynamic registration is disabled.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "500": {
                    "description": "An unexpected failure; no body."
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              }
            },
            "/api/v1/oauth/revoke": {
              "post": {
                "operationId": "revoke",
                "summary": "Revoke a token",
                "tags": [
                  "OAuth 2.1"
                ],
                "security": [
                  {
                    "clientBasic": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Origin"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/RevocationRequest"
                      },
                      "example": {
                        "token": "custos_at_example"
                      }
                    },
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RevocationRequest"
                      },
                      "example": {
                        "token": "custos_at_example"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Revoked, or the token was unknown (RFC 7009 §2.2); no body.",
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/OAuthBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/OAuthUnauthorized"
                  },
                  "413": {
                    "$ref": "#/components/responses/OAuthTooLarge"
                  },
                  "429": {
                    "$ref": "#/components/responses/OAuthTooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/OAuthServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              },
              "options": {
                "operationId": "revokePreflight",
                "summary": "CORS preflight",
                "tags": [
                  "OAuth 2.1"
                ],
                "security": [],
                "parameters": [
                  {
                    "name": "Origin",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Method",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Headers",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "204": {
                    "description": "With an `Origin`: the CORS answer (`Access-Control-Allow-Origin`, `-Methods`, `-Headers`, `-Max-Age`); the actual response allows only the client's own origins."
                  }
                }
              }
            },
            "/api/v1/oauth/token": {
              "post": {
                "operationId": "token",
                "summary": "Token endpoint",
                "tags": [
                  "OAuth 2.1"
                ],
                "description": "RFC 6749 §3.2. `Access-Control-Allow-Origin` is sent only for an origin the client registered.",
                "security": [
                  {
                    "clientBasic": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Origin"
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/TokenRequest"
                      },
                      "example": {
                        "grant_type": "client_credentials",
                        "scope": "api.read"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Tokens.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/TokenResponse"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "$ref": "#/components/responses/OAuthBadRequest"
                  },
                  "401": {
                    "$ref": "#/components/responses/OAuthUnauthorized"
                  },
                  "413": {
                    "$ref": "#/components/responses/OAuthTooLarge"
                  },
                  "429": {
                    "$ref": "#/components/responses/OAuthTooManyRequests"
                  },
                  "500": {
                    "$ref": "#/components/responses/OAuthServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              },
              "options": {
                "operationId": "tokenPreflight",
                "summary": "CORS preflight",
                "tags": [
                  "OAuth 2.1"
                ],
                "security": [],
                "parameters": [
                  {
                    "name": "Origin",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Method",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Headers",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "204": {
                    "description": "With an `Origin`: the CORS answer (`Access-Control-Allow-Origin`, `-Methods`, `-Headers`, `-Max-Age`); the actual response allows only the client's own origins."
                  }
                }
              }
            },
            "/api/v1/oauth/userinfo": {
              "get": {
                "operationId": "userInfo",
                "summary": "UserInfo",
                "tags": [
                  "OpenID Connect"
                ],
                "security": [
                  {
                    "userBearer": []
                  }
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Origin"
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The claims, as JSON or as a signed JWT when the client registered `userinfo_signed_response_alg`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/UserInfo"
                        }
                      },
                      "application/jwt": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "description": "`invalid_request`: the token was sent in the query or two ways at once (with the `WWW-Authenticate` challenge), or the form is malformed.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticate"
                      }
                    }
                  },
                  "401": {
                    "description": "No token (the challenge only, no body), or `invalid_token`.",
                    "headers": {
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "`insufficient_scope`: the token has no `openid` scope.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/OAuthServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  }
                }
              },
              "post": {
                "operationId": "userInfoPost",
                "summary": "UserInfo (POST)",
                "tags": [
                  "OpenID Connect"
                ],
                "security": [
                  {
                    "userBearer": []
                  },
                  {}
                ],
                "parameters": [
                  {
                    "$ref": "#/components/parameters/Origin"
                  }
                ],
                "requestBody": {
                  "required": false,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/UserInfoRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The claims, as JSON or as a signed JWT when the client registered `userinfo_signed_response_alg`.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/UserInfo"
                        }
                      },
                      "application/jwt": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    }
                  },
                  "400": {
                    "description": "`invalid_request`: the token was sent in the query or two ways at once (with the `WWW-Authenticate` challenge), or the form is malformed.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticate"
                      }
                    }
                  },
                  "401": {
                    "description": "No token (the challenge only, no body), or `invalid_token`.",
                    "headers": {
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      },
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      }
                    },
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "`insufficient_scope`: the token has no `openid` scope.",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/OAuthError"
                        }
                      }
                    },
                    "headers": {
                      "Cache-Control": {
                        "$ref": "#/components/headers/NoStore"
                      },
                      "WWW-Authenticate": {
                        "$ref": "#/components/headers/WWWAuthenticateBearer"
                      }
                    }
                  },
                  "500": {
                    "$ref": "#/components/responses/OAuthServerError"
                  },
                  "503": {
                    "$ref": "#/components/responses/OAuthUnavailable"
                  },
                  "413": {
                    "$ref": "#/components/responses/OAuthTooLarge"
                  }
                }
              },
              "options": {
                "operationId": "userInfoPreflight",
                "summary": "CORS preflight",
                "tags": [
                  "OpenID Connect"
                ],
                "security": [],
                "parameters": [
                  {
                    "name": "Origin",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Method",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  },
                  {
                    "name": "Access-Control-Request-Headers",
                    "in": "header",
                    "required": false,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "204": {
                    "description": "The CORS answer."
                  }
                }
              }
            },
            "/health": {
              "get": {
                "operationId": "health",
                "summary": "Liveness",
                "tags": [
                  "Operations"
                ],
                "security": [],
                "responses": {
                  "200": {
                    "description": "`ok`",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string",
                          "const": "ok"
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "components": {
            "schemas": {
              "SimpleResponse": {
                "type": "object",
                "properties": {
                  "code": {
                    "type": "integer",
                    "description": "The HTTP status."
                  },
                  "message": {
                    "type": "string"
                  },
                  "timestamp": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  }
                },
                "required": [
                  "code",
                  "message",
                  "timestamp"
                ],
                "description": "Every error of the admin and account API (`code` is the HTTP status; for a 400 the message starts with the offending field's JSON name)."
              },
              "OAuthError": {
                "type": "object",
                "properties": {
                  "error": {
                    "type": "string",
                    "minLength": 1,
                    "pattern": "^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$"
                  },
                  "error_description": {
                    "type": "string",
                    "pattern": "^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$"
                  }
                },
                "required": [
                  "error"
                ],
                "description": "An OAuth error (RFC 6749 §5.2, RFC 6750 §3.1): `error` and `error_description` are made of the characters %x20-21 / %x23-5B / %x5D-7E only (no `\"`, no `\\`, ASCII)."
              },
              "RegistrationError": {
                "type": "object",
                "properties": {
                  "error": {
                    "type": "string",
                    "minLength": 1,
                    "pattern": "^[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]*$"
                  },
                  "error_description": {
                    "type": "string",
                    "pattern": "^[\\x20-\\x7E]*$"
                  }
                },
                "required": [
                  "error"
                ],
                "description": "RFC 7591 §3.2.2: `error` and a human-readable ASCII `error_description`."
              },
              "Pagination": {
                "type": "object",
                "properties": {
                  "page": {
                    "type": "integer",
                    "minimum": 1
                  },
                  "page_size": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 100
                  },
                  "total": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "total_pages": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "has_next": {
                    "type": "boolean"
                  },
                  "has_prev": {
                    "type": "boolean"
                  }
                },
                "required": [
                  "page",
                  "page_size",
                  "total",
                  "total_pages",
                  "has_next",
                  "has_prev"
                ]
              },
              "CreateClientRequest": {
                "type": "object",
                "properties": {
                  "first_party": {
                    "type": "boolean",
                    "description": "Admin API only: the client is the operator's own (first-party). Only first-party clients may hold the reserved `account` scope. Default false."
                  },
                  "require_pkce": {
                    "type": "boolean",
                    "description": "Default true. false lets a confidential client outside every FAPI profile omit PKCE; its OpenID requests must then carry a nonce (RFC 9700 §2.1.1). Always true for public and FAPI clients."
                  },
                  "name": {
                    "type": "string",
                    "description": "Not blank, at most 200 characters."
                  },
                  "redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "minItems": 1,
                    "maxItems": 50,
                    "description": "Absolute URIs without fragment; http only for public native clients on loopback IP literals (127.0.0.1, [::1]; not localhost), confidential clients https only unless the operator sets CUSTOS_ALLOW_LOOPBACK_HTTP_REDIRECTS=1."
                  },
                  "client_auth_methods": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "examples": [
                        "client_secret_basic",
                        "client_secret_post",
                        "client_secret_jwt",
                        "private_key_jwt",
                        "tls_client_auth",
                        "self_signed_tls_client_auth",
                        "none"
                      ]
                    }
                  },
                  "fapi_profile": {
                    "type": "string",
                    "examples": [
                      "",
                      "fapi1",
                      "fapi2",
                      "fapi2_message_signing"
                    ]
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "examples": [
                        "authorization_code",
                        "refresh_token",
                        "client_credentials"
                      ]
                    }
                  },
                  "is_confidential": {
                    "type": "boolean"
                  },
                  "is_resource_server": {
                    "type": "boolean",
                    "description": "Admin API only (never set by dynamic registration): the client may introspect tokens issued to other clients, and sees `username`."
                  },
                  "jwks": {
                    "type": "string",
                    "description": "A JWK Set as JSON text (public keys only)."
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "logo_url": {
                    "type": "string"
                  },
                  "privacy_policy": {
                    "type": "string"
                  },
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "terms_url": {
                    "type": "string"
                  },
                  "website": {
                    "type": "string"
                  },
                  "access_token_format": {
                    "type": "string",
                    "examples": [
                      "jwt",
                      "opaque"
                    ]
                  },
                  "request_object_signing_alg": {
                    "type": "string",
                    "description": "OpenID Connect Registration §2: the only algorithm accepted for request objects; `none` allows unsigned ones (refused with a FAPI profile); empty clears."
                  },
                  "request_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "The only `request_uri` values accepted (absolute https URLs without fragment, compared exactly; at most 10)."
                  },
                  "require_signed_request_object": {
                    "type": "boolean",
                    "description": "RFC 9101 §10.5: every authorization request must be a signed request object, whose parameters alone count."
                  },
                  "post_logout_redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "RP-Initiated Logout 1.0 §3.1: exact URIs."
                  }
                },
                "required": [
                  "name",
                  "redirect_uris"
                ],
                "description": "`dto.CreateClientRequest`."
              },
              "UpdateClientRequest": {
                "type": "object",
                "properties": {
                  "first_party": {
                    "type": "boolean",
                    "description": "Admin API only: the client is the operator's own (first-party). Only first-party clients may hold the reserved `account` scope. Default false."
                  },
                  "require_pkce": {
                    "type": "boolean",
                    "description": "Default true. false lets a confidential client outside every FAPI profile omit PKCE; its OpenID requests must then carry a nonce (RFC 9700 §2.1.1). Always true for public and FAPI clients."
                  },
                  "name": {
                    "type": "string"
                  },
                  "redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "client_auth_methods": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "fapi_profile": {
                    "type": "string"
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "is_confidential": {
                    "type": "boolean"
                  },
                  "is_resource_server": {
                    "type": "boolean",
                    "description": "Admin API only (never set by dynamic registration): the client may introspect tokens issued to other clients, and sees `username`."
                  },
                  "jwks": {
                    "type": "string"
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "logo_url": {
                    "type": "string"
                  },
                  "privacy_policy": {
                    "type": "string"
                  },
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "terms_url": {
                    "type": "string"
                  },
                  "website": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string",
                    "examples": [
                      "active",
                      "suspended"
                    ]
                  },
                  "cors_origins": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "access_token_format": {
                    "type": "string",
                    "examples": [
                      "jwt",
                      "opaque"
                    ]
                  },
                  "request_object_signing_alg": {
                    "type": "string",
                    "description": "OpenID Connect Registration §2: the only algorithm accepted for request objects; `none` allows unsigned ones (refused with a FAPI profile); empty clears."
                  },
                  "request_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "The only `request_uri` values accepted (absolute https URLs without fragment, compared exactly; at most 10)."
                  },
                  "require_signed_request_object": {
                    "type": "boolean",
                    "description": "RFC 9101 §10.5: every authorization request must be a signed request object, whose parameters alone count."
                  },
                  "post_logout_redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                },
                "description": "`dto.UpdateClientRequest`: every field optional; an absent field keeps its value."
              },
              "CreateClientResponse": {
                "type": "object",
                "properties": {
                  "client_auth_methods": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "client_secret": {
                    "type": "string",
                    "description": "The secret, this once (\"\" when the client uses none)."
                  },
                  "cors_origins": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "fapi_profile": {
                    "type": "string"
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
                    "description": "A ULID."
                  },
                  "is_confidential": {
                    "type": "boolean"
                  },
                  "jwks": {
                    "type": "string"
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "logo_url": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "privacy_policy": {
                    "type": "string"
                  },
                  "redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "status": {
                    "type": "string"
                  },
                  "terms_url": {
                    "type": "string"
                  },
                  "website": {
                    "type": "string"
                  }
                },
                "required": [
                  "client_auth_methods",
                  "client_id",
                  "client_secret",
                  "cors_origins",
                  "fapi_profile",
                  "grant_types",
                  "id",
                  "is_confidential",
                  "jwks",
                  "jwks_uri",
                  "logo_url",
                  "name",
                  "privacy_policy",
                  "redirect_uris",
                  "scopes",
                  "status",
                  "terms_url",
                  "website"
                ],
                "description": "`dto.CreateClientResponse` (also `dto.CloneClientResponse`)."
              },
              "ClientItem": {
                "type": "object",
                "properties": {
                  "first_party": {
                    "type": "boolean",
                    "description": "Admin API only: the client is the operator's own (first-party). Only first-party clients may hold the reserved `account` scope. Default false."
                  },
                  "require_pkce": {
                    "type": "boolean",
                    "description": "Default true. false lets a confidential client outside every FAPI profile omit PKCE; its OpenID requests must then carry a nonce (RFC 9700 §2.1.1). Always true for public and FAPI clients."
                  },
                  "access_token_format": {
                    "type": "string"
                  },
                  "client_auth_methods": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "cors_origins": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "deleted_at": {
                    "type": "string",
                    "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$",
                    "description": "RFC 3339 UTC time with second precision, \"\" when unset."
                  },
                  "fapi_profile": {
                    "type": "string"
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
                    "description": "A ULID."
                  },
                  "is_confidential": {
                    "type": "boolean"
                  },
                  "is_resource_server": {
                    "type": "boolean",
                    "description": "Admin API only (never set by dynamic registration): the client may introspect tokens issued to other clients, and sees `username`."
                  },
                  "jwks": {
                    "type": "string"
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "logo_url": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "privacy_policy": {
                    "type": "string"
                  },
                  "redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "secret_last_four": {
                    "type": "string",
                    "maxLength": 4
                  },
                  "status": {
                    "type": "string"
                  },
                  "tenant_id": {
                    "type": "string"
                  },
                  "terms_url": {
                    "type": "string"
                  },
                  "updated_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "website": {
                    "type": "string"
                  },
                  "request_object_signing_alg": {
                    "type": "string"
                  },
                  "request_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "require_signed_request_object": {
                    "type": "boolean"
                  },
                  "post_logout_redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                },
                "required": [
                  "first_party",
                  "require_pkce",
                  "access_token_format",
                  "client_auth_methods",
                  "client_id",
                  "cors_origins",
                  "created_at",
                  "deleted_at",
                  "fapi_profile",
                  "grant_types",
                  "id",
                  "is_confidential",
                  "is_resource_server",
                  "jwks",
                  "jwks_uri",
                  "logo_url",
                  "name",
                  "post_logout_redirect_uris",
                  "privacy_policy",
                  "request_object_signing_alg",
                  "request_uris",
                  "require_signed_request_object",
                  "redirect_uris",
                  "scopes",
                  "secret_last_four",
                  "status",
                  "tenant_id",
                  "terms_url",
                  "updated_at",
                  "website"
                ],
                "description": "`dto.OAuthClientItem`, plus `jwks`; a secret only as `secret_last_four`."
              },
              "RegistrationTokenRequest": {
                "type": "object",
                "properties": {
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "minItems": 1,
                    "description": "Scopes its registrations may have (RFC 6749 §3.3 syntax, not reserved). Default: the standard OpenID scopes."
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "examples": [
                        "authorization_code",
                        "refresh_token",
                        "client_credentials"
                      ]
                    },
                    "minItems": 1,
                    "description": "Grant types its registrations may have. Default: authorization_code, refresh_token."
                  },
                  "expires_in": {
                    "type": "integer",
                    "minimum": 60,
                    "maximum": 31622400,
                    "description": "Lifetime in seconds. Default 86400."
                  },
                  "max_uses": {
                    "type": [
                      "integer",
                      "null"
                    ],
                    "minimum": 1,
                    "maximum": 1000000,
                    "description": "How many registrations it allows; absent or null: unlimited until it expires."
                  }
                },
                "description": "The policy of a dynamic-registration token."
              },
              "RegistrationTokenItem": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "expires_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "max_uses": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "uses": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "token": {
                    "type": "string",
                    "description": "Only in the create response."
                  }
                },
                "required": [
                  "id",
                  "scopes",
                  "grant_types",
                  "expires_at",
                  "max_uses",
                  "uses",
                  "created_at"
                ],
                "description": "A dynamic-registration token: its policy and counters."
              },
              "SecretItem": {
                "type": "object",
                "properties": {
                  "secret_id": {
                    "type": "string",
                    "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
                    "description": "A ULID."
                  },
                  "status": {
                    "type": "string",
                    "examples": [
                      "active",
                      "rotated",
                      "inactive"
                    ]
                  },
                  "description": {
                    "type": "string"
                  },
                  "last_four": {
                    "type": "string",
                    "maxLength": 4
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "updated_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "expires_at": {
                    "type": "string",
                    "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$",
                    "description": "RFC 3339 UTC time with second precision, \"\" when unset."
                  },
                  "last_used_at": {
                    "type": "string",
                    "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$",
                    "description": "RFC 3339 UTC time with second precision, \"\" when unset."
                  }
                },
                "required": [
                  "secret_id",
                  "status",
                  "description",
                  "last_four",
                  "created_at",
                  "updated_at",
                  "expires_at",
                  "last_used_at"
                ],
                "description": "`dto.OAuthClientSecretResponse`: never the value."
              },
              "SecretList": {
                "type": "object",
                "properties": {
                  "secrets": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/SecretItem"
                    }
                  }
                },
                "required": [
                  "secrets"
                ]
              },
              "CreatedSecret": {
                "type": "object",
                "properties": {
                  "secret_id": {
                    "type": "string",
                    "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
                    "description": "A ULID."
                  },
                  "secret_value": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string"
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  }
                },
                "required": [
                  "secret_id",
                  "secret_value",
                  "status",
                  "created_at"
                ],
                "description": "`dto.CreateClientSecretResponse`: the value, this once."
              },
              "RotatedSecret": {
                "type": "object",
                "properties": {
                  "client_id": {
                    "type": "string"
                  },
                  "new_secret": {
                    "type": "string"
                  },
                  "rotated_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  }
                },
                "required": [
                  "client_id",
                  "new_secret",
                  "rotated_at"
                ],
                "description": "`dto.RotateSecretResponse`."
              },
              "AddSecretRequest": {
                "type": "object",
                "properties": {
                  "description": {
                    "type": "string"
                  }
                }
              },
              "TokenItem": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
                    "description": "A ULID."
                  },
                  "token_type": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  },
                  "user_id": {
                    "type": "string"
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "expires_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  }
                },
                "required": [
                  "id",
                  "token_type",
                  "scope",
                  "user_id",
                  "created_at",
                  "expires_at"
                ],
                "description": "`dto.OAuthTokenItem`: never the token."
              },
              "ClientStats": {
                "type": "object",
                "properties": {
                  "client_id": {
                    "type": "string"
                  },
                  "active_tokens": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "active_refresh_tokens": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "last_request_at": {
                    "type": "string",
                    "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$",
                    "description": "RFC 3339 UTC time with second precision, \"\" when unset."
                  }
                },
                "required": [
                  "client_id",
                  "active_tokens",
                  "active_refresh_tokens",
                  "last_request_at"
                ],
                "description": "`dto.ClientStatsResponse`."
              },
              "TokenRevocationCounts": {
                "type": "object",
                "properties": {
                  "revoked_access_tokens": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "revoked_refresh_tokens": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "grace_period": {
                    "type": "integer"
                  }
                },
                "required": [
                  "revoked_access_tokens",
                  "revoked_refresh_tokens"
                ],
                "description": "`dto.RevokeClientTokensResponse` / `dto.BatchRevokeUserTokensResponse`."
              },
              "AuditItem": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
                    "description": "A ULID."
                  },
                  "action": {
                    "type": "string"
                  },
                  "module": {
                    "type": "string"
                  },
                  "target_type": {
                    "type": "string"
                  },
                  "target_id": {
                    "type": "string"
                  },
                  "operator_type": {
                    "type": "string"
                  },
                  "operator_id": {
                    "type": "string"
                  },
                  "ip": {
                    "type": "string"
                  },
                  "level": {
                    "type": "string"
                  },
                  "status": {
                    "type": "integer"
                  },
                  "message": {
                    "type": "string"
                  },
                  "changed_fields": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "timestamp": {
                    "type": "integer",
                    "description": "Unix seconds."
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "tenant_id": {
                    "type": "string"
                  }
                },
                "required": [
                  "id",
                  "action",
                  "module",
                  "target_type",
                  "target_id",
                  "operator_type",
                  "operator_id",
                  "ip",
                  "level",
                  "status",
                  "message",
                  "changed_fields",
                  "timestamp",
                  "created_at",
                  "tenant_id"
                ],
                "description": "`dto.OAuthAuditLogItem`, plus `changed_fields`."
              },
              "Address": {
                "type": "object",
                "properties": {
                  "formatted": {
                    "type": "string"
                  },
                  "street_address": {
                    "type": "string"
                  },
                  "locality": {
                    "type": "string"
                  },
                  "region": {
                    "type": "string"
                  },
                  "postal_code": {
                    "type": "string"
                  },
                  "country": {
                    "type": "string"
                  }
                }
              },
              "UserRequest": {
                "type": "object",
                "properties": {
                  "username": {
                    "type": "string",
                    "description": "3 to 64 letters, digits or . _ - +."
                  },
                  "email": {
                    "type": "string"
                  },
                  "email_verified": {
                    "type": "boolean"
                  },
                  "password": {
                    "type": "string"
                  },
                  "roles": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "examples": [
                        "admin",
                        "user"
                      ]
                    }
                  },
                  "status": {
                    "type": "string",
                    "examples": [
                      "active",
                      "disabled",
                      "locked"
                    ]
                  },
                  "name": {
                    "type": "string"
                  },
                  "given_name": {
                    "type": "string"
                  },
                  "family_name": {
                    "type": "string"
                  },
                  "preferred_username": {
                    "type": "string"
                  },
                  "picture": {
                    "type": "string"
                  },
                  "locale": {
                    "type": "string"
                  },
                  "zoneinfo": {
                    "type": "string"
                  },
                  "phone_number": {
                    "type": "string"
                  },
                  "phone_number_verified": {
                    "type": "boolean"
                  },
                  "address": {
                    "$ref": "#/components/schemas/Address"
                  }
                },
                "description": "The account fields and the OpenID standard claims, flat. `username` and `email` are required on create; on update an absent field keeps its value."
              },
              "UserItem": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string",
                    "pattern": "^[0-9A-HJKMNP-TV-Z]{26}$",
                    "description": "A ULID."
                  },
                  "tenant_id": {
                    "type": "string"
                  },
                  "username": {
                    "type": "string"
                  },
                  "email": {
                    "type": "string"
                  },
                  "email_verified": {
                    "type": "boolean"
                  },
                  "roles": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "status": {
                    "type": "string"
                  },
                  "has_password": {
                    "type": "boolean"
                  },
                  "name": {
                    "type": "string"
                  },
                  "given_name": {
                    "type": "string"
                  },
                  "family_name": {
                    "type": "string"
                  },
                  "preferred_username": {
                    "type": "string"
                  },
                  "picture": {
                    "type": "string"
                  },
                  "locale": {
                    "type": "string"
                  },
                  "zoneinfo": {
                    "type": "string"
                  },
                  "phone_number": {
                    "type": "string"
                  },
                  "phone_number_verified": {
                    "type": "boolean"
                  },
                  "address": {
                    "$ref": "#/components/schemas/Address"
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "updated_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  }
                },
                "required": [
                  "id",
                  "tenant_id",
                  "username",
                  "email",
                  "email_verified",
                  "roles",
                  "status",
                  "has_password",
                  "name",
                  "given_name",
                  "family_name",
                  "preferred_username",
                  "picture",
                  "locale",
                  "zoneinfo",
                  "phone_number",
                  "phone_number_verified",
                  "created_at",
                  "updated_at"
                ],
                "description": "A user: never the password or its hash."
              },
              "PasswordRequest": {
                "type": "object",
                "properties": {
                  "password": {
                    "type": "string"
                  }
                },
                "required": [
                  "password"
                ]
              },
              "KeyItem": {
                "type": "object",
                "properties": {
                  "kid": {
                    "type": "string"
                  },
                  "alg": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string"
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "activates_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "retires_at": {
                    "type": "string",
                    "pattern": "^([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z)?$",
                    "description": "RFC 3339 UTC time with second precision, \"\" when unset."
                  }
                },
                "required": [
                  "kid",
                  "alg",
                  "status",
                  "created_at",
                  "activates_at",
                  "retires_at"
                ],
                "description": "A signing key: public facts only."
              },
              "RotateKeyRequest": {
                "type": "object",
                "properties": {
                  "algorithm": {
                    "type": "string",
                    "examples": [
                      "ES256",
                      "RS256",
                      "PS256",
                      "EdDSA"
                    ]
                  },
                  "immediately": {
                    "type": "boolean",
                    "description": "Sign with the new key at once instead of announcing it first."
                  }
                }
              },
              "ConsentItem": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "string"
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "created_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  },
                  "updated_at": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                    "description": "RFC 3339 UTC time with second precision."
                  }
                },
                "required": [
                  "id",
                  "client_id",
                  "scopes",
                  "created_at",
                  "updated_at"
                ]
              },
              "PublicClientInfo": {
                "type": "object",
                "properties": {
                  "client_id": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  },
                  "logo_url": {
                    "type": "string"
                  },
                  "website": {
                    "type": "string"
                  },
                  "privacy_policy": {
                    "type": "string"
                  },
                  "terms_url": {
                    "type": "string"
                  },
                  "scopes": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "tenant_id": {
                    "type": "string"
                  }
                },
                "required": [
                  "client_id",
                  "name",
                  "logo_url",
                  "website",
                  "privacy_policy",
                  "terms_url",
                  "scopes",
                  "tenant_id"
                ],
                "description": "`dto.PublicClientInfo`: nothing secret."
              },
              "InternalIntrospectRequest": {
                "type": "object",
                "properties": {
                  "token": {
                    "type": "string"
                  }
                },
                "required": [
                  "token"
                ]
              },
              "InternalIntrospection": {
                "type": "object",
                "properties": {
                  "active": {
                    "type": "boolean"
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "user_id": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  },
                  "exp": {
                    "type": "integer",
                    "description": "Unix seconds; 0 when inactive."
                  }
                },
                "required": [
                  "active",
                  "client_id",
                  "user_id",
                  "scope",
                  "exp"
                ],
                "description": "`dto.InternalIntrospectResponse`."
              },
              "TokenRequest": {
                "type": "object",
                "properties": {
                  "grant_type": {
                    "type": "string",
                    "examples": [
                      "authorization_code",
                      "refresh_token",
                      "client_credentials"
                    ]
                  },
                  "code": {
                    "type": "string"
                  },
                  "redirect_uri": {
                    "type": "string"
                  },
                  "code_verifier": {
                    "type": "string"
                  },
                  "refresh_token": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  },
                  "resource": {
                    "type": "string"
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "client_secret": {
                    "type": "string"
                  },
                  "client_assertion": {
                    "type": "string"
                  },
                  "client_assertion_type": {
                    "type": "string",
                    "examples": [
                      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
                    ]
                  }
                },
                "required": [
                  "grant_type"
                ],
                "description": "RFC 6749 §4.1.3, §4.4.2, §6. Each parameter at most once; an empty value counts as absent."
              },
              "TokenResponse": {
                "type": "object",
                "properties": {
                  "access_token": {
                    "type": "string"
                  },
                  "token_type": {
                    "type": "string",
                    "examples": [
                      "Bearer",
                      "DPoP"
                    ]
                  },
                  "expires_in": {
                    "type": "integer",
                    "minimum": 0
                  },
                  "scope": {
                    "type": "string"
                  },
                  "refresh_token": {
                    "type": "string"
                  },
                  "id_token": {
                    "type": "string"
                  }
                },
                "required": [
                  "access_token",
                  "token_type",
                  "expires_in"
                ],
                "description": "RFC 6749 §5.1."
              },
              "RefreshRequest": {
                "type": "object",
                "properties": {
                  "refresh_token": {
                    "type": "string"
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "client_secret": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  }
                },
                "required": [
                  "refresh_token"
                ],
                "description": "The refresh_token grant; JSON (the swagger's variant) or form-encoded."
              },
              "RevocationRequest": {
                "type": "object",
                "properties": {
                  "token": {
                    "type": "string"
                  },
                  "token_type_hint": {
                    "type": "string",
                    "examples": [
                      "access_token",
                      "refresh_token"
                    ]
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "client_secret": {
                    "type": "string"
                  },
                  "client_assertion": {
                    "type": "string"
                  },
                  "client_assertion_type": {
                    "type": "string"
                  }
                },
                "required": [
                  "token"
                ],
                "description": "RFC 7009 §2.1; form-encoded, or a flat JSON object of strings."
              },
              "IntrospectionRequest": {
                "type": "object",
                "properties": {
                  "token": {
                    "type": "string"
                  },
                  "token_type_hint": {
                    "type": "string",
                    "examples": [
                      "access_token",
                      "refresh_token"
                    ]
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "client_secret": {
                    "type": "string"
                  },
                  "client_assertion": {
                    "type": "string"
                  },
                  "client_assertion_type": {
                    "type": "string"
                  }
                },
                "required": [
                  "token"
                ],
                "description": "RFC 7662 §2.1."
              },
              "Introspection": {
                "description": "RFC 7662 §2.2: an active token's facts, or exactly `{\"active\": false}`.",
                "oneOf": [
                  {
                    "type": "object",
                    "properties": {
                      "active": {
                        "const": true
                      },
                      "scope": {
                        "type": "string"
                      },
                      "client_id": {
                        "type": "string"
                      },
                      "username": {
                        "type": "string"
                      },
                      "token_type": {
                        "type": "string"
                      },
                      "exp": {
                        "type": "integer"
                      },
                      "iat": {
                        "type": "integer"
                      },
                      "sub": {
                        "type": "string"
                      },
                      "aud": {
                        "type": "string"
                      },
                      "iss": {
                        "type": "string"
                      },
                      "jti": {
                        "type": "string"
                      }
                    },
                    "required": [
                      "active",
                      "client_id",
                      "token_type",
                      "exp",
                      "iat",
                      "sub",
                      "aud",
                      "iss",
                      "jti"
                    ]
                  },
                  {
                    "type": "object",
                    "properties": {
                      "active": {
                        "const": false
                      }
                    },
                    "required": [
                      "active"
                    ],
                    "additionalProperties": false
                  }
                ]
              },
              "UserInfoRequest": {
                "type": "object",
                "properties": {
                  "access_token": {
                    "type": "string"
                  }
                },
                "description": "RFC 6750 §2.2: the token in the body (not with a header too)."
              },
              "UserInfo": {
                "type": "object",
                "properties": {
                  "sub": {
                    "type": "string"
                  }
                },
                "required": [
                  "sub"
                ],
                "description": "OpenID Connect Core §5.3.2: the claims the token's scopes allow."
              },
              "RegistrationRequest": {
                "type": "object",
                "properties": {
                  "redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "token_endpoint_auth_method": {
                    "type": "string"
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "response_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "client_name": {
                    "type": "string"
                  },
                  "client_uri": {
                    "type": "string"
                  },
                  "logo_uri": {
                    "type": "string"
                  },
                  "policy_uri": {
                    "type": "string"
                  },
                  "tos_uri": {
                    "type": "string"
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "jwks": {
                    "type": "object",
                    "description": "A JWK Set."
                  },
                  "scope": {
                    "type": "string"
                  },
                  "contacts": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "software_id": {
                    "type": "string"
                  },
                  "software_version": {
                    "type": "string"
                  },
                  "id_token_signed_response_alg": {
                    "type": "string"
                  },
                  "userinfo_signed_response_alg": {
                    "type": "string"
                  },
                  "request_object_signing_alg": {
                    "type": "string"
                  },
                  "subject_type": {
                    "type": "string"
                  },
                  "sector_identifier_uri": {
                    "type": "string"
                  },
                  "post_logout_redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "backchannel_logout_uri": {
                    "type": "string"
                  },
                  "backchannel_logout_session_required": {
                    "type": "boolean"
                  },
                  "frontchannel_logout_uri": {
                    "type": "string"
                  },
                  "frontchannel_logout_session_required": {
                    "type": "boolean"
                  },
                  "request_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "require_signed_request_object": {
                    "type": "boolean"
                  },
                  "require_auth_time": {
                    "type": "boolean"
                  },
                  "default_max_age": {
                    "type": "integer"
                  },
                  "client_id": {
                    "type": "string",
                    "description": "RFC 7592 §2.2: on update, the id of the client replaced."
                  }
                },
                "description": "RFC 7591 §2 and OpenID Connect Dynamic Client Registration §2 client metadata."
              },
              "RegistrationResponse": {
                "type": "object",
                "properties": {
                  "client_id": {
                    "type": "string"
                  },
                  "client_id_issued_at": {
                    "type": "integer",
                    "description": "Unix seconds."
                  },
                  "client_secret": {
                    "type": "string"
                  },
                  "client_secret_expires_at": {
                    "type": "integer",
                    "const": 0
                  },
                  "registration_access_token": {
                    "type": "string"
                  },
                  "registration_client_uri": {
                    "type": "string"
                  },
                  "client_name": {
                    "type": "string"
                  },
                  "redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "grant_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "response_types": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "token_endpoint_auth_method": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  },
                  "logo_uri": {
                    "type": "string"
                  },
                  "client_uri": {
                    "type": "string"
                  },
                  "policy_uri": {
                    "type": "string"
                  },
                  "tos_uri": {
                    "type": "string"
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "jwks": {
                    "type": "object"
                  },
                  "contacts": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "post_logout_redirect_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "default_max_age": {
                    "type": "integer"
                  },
                  "request_uris": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "require_signed_request_object": {
                    "type": "boolean"
                  },
                  "require_auth_time": {
                    "type": "boolean"
                  },
                  "backchannel_logout_session_required": {
                    "type": "boolean"
                  },
                  "frontchannel_logout_session_required": {
                    "type": "boolean"
                  }
                },
                "required": [
                  "client_id",
                  "client_id_issued_at",
                  "client_name",
                  "redirect_uris",
                  "grant_types",
                  "response_types",
                  "token_endpoint_auth_method",
                  "scope",
                  "registration_client_uri",
                  "registration_access_token"
                ],
                "description": "RFC 7591 §3.2.1 and RFC 7592 §3 (client information response): the registered metadata, flat, with `registration_client_uri` and `registration_access_token` (both REQUIRED by RFC 7592 §3); `client_secret_expires_at` whenever a `client_secret` is returned (RFC 7591 §3.2.1).",
                "dependentRequired": {
                  "client_secret": [
                    "client_secret_expires_at"
                  ]
                }
              },
              "JWKS": {
                "type": "object",
                "properties": {
                  "keys": {
                    "type": "array",
                    "items": {
                      "type": "object",
                      "properties": {
                        "kty": {
                          "type": "string"
                        },
                        "kid": {
                          "type": "string"
                        },
                        "alg": {
                          "type": "string"
                        },
                        "use": {
                          "type": "string"
                        }
                      },
                      "required": [
                        "kty",
                        "kid",
                        "alg",
                        "use"
                      ],
                      "additionalProperties": {
                        "type": "string"
                      }
                    }
                  }
                },
                "required": [
                  "keys"
                ],
                "description": "RFC 7517 §5: the public signing keys."
              },
              "ServerMetadata": {
                "type": "object",
                "properties": {
                  "issuer": {
                    "type": "string"
                  },
                  "authorization_endpoint": {
                    "type": "string"
                  },
                  "token_endpoint": {
                    "type": "string"
                  },
                  "introspection_endpoint": {
                    "type": "string"
                  },
                  "revocation_endpoint": {
                    "type": "string"
                  },
                  "userinfo_endpoint": {
                    "type": "string"
                  },
                  "registration_endpoint": {
                    "type": "string"
                  },
                  "end_session_endpoint": {
                    "type": "string"
                  },
                  "jwks_uri": {
                    "type": "string"
                  },
                  "scopes_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "response_types_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "response_modes_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "grant_types_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "token_endpoint_auth_methods_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "token_endpoint_auth_signing_alg_values_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "code_challenge_methods_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "subject_types_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "id_token_signing_alg_values_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "claims_supported": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "authorization_response_iss_parameter_supported": {
                    "type": "boolean"
                  }
                },
                "required": [
                  "issuer",
                  "authorization_endpoint",
                  "token_endpoint",
                  "jwks_uri",
                  "response_types_supported",
                  "subject_types_supported",
                  "id_token_signing_alg_values_supported"
                ],
                "description": "RFC 8414 §2 / OpenID Connect Discovery 1.0 §3."
              },
              "AuthorizationRequest": {
                "type": "object",
                "properties": {
                  "response_type": {
                    "type": "string",
                    "examples": [
                      "code"
                    ]
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "redirect_uri": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  },
                  "state": {
                    "type": "string"
                  },
                  "code_challenge": {
                    "type": "string"
                  },
                  "code_challenge_method": {
                    "type": "string",
                    "examples": [
                      "S256"
                    ]
                  },
                  "response_mode": {
                    "type": "string",
                    "examples": [
                      "query",
                      "form_post"
                    ]
                  },
                  "nonce": {
                    "type": "string"
                  },
                  "prompt": {
                    "type": "string"
                  },
                  "max_age": {
                    "type": "string"
                  },
                  "id_token_hint": {
                    "type": "string"
                  },
                  "login_hint": {
                    "type": "string"
                  },
                  "acr_values": {
                    "type": "string"
                  },
                  "claims": {
                    "type": "string"
                  },
                  "ui_locales": {
                    "type": "string"
                  },
                  "request": {
                    "type": "string"
                  },
                  "request_uri": {
                    "type": "string"
                  },
                  "consent": {
                    "type": "string",
                    "description": "Set by the consent page on the way back: given or denied."
                  }
                },
                "description": "RFC 6749 §4.1.1 and OpenID Connect Core §3.1.2.1 parameters, each at most once."
              },
              "AuthorizationJSONRequest": {
                "type": "object",
                "properties": {
                  "approved": {
                    "type": "boolean",
                    "description": "The user's decision; saved as consent when true."
                  },
                  "user_id": {
                    "type": "string",
                    "description": "Must be the authenticated user's id when sent."
                  },
                  "response_type": {
                    "type": "string"
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "redirect_uri": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  },
                  "state": {
                    "type": "string"
                  },
                  "code_challenge": {
                    "type": "string"
                  },
                  "code_challenge_method": {
                    "type": "string"
                  },
                  "nonce": {
                    "type": "string"
                  }
                },
                "description": "The swagger's JSON variant of `POST /oauth/authorize`; every member but `approved` is a string."
              },
              "AuthorizationCode": {
                "type": "object",
                "properties": {
                  "code": {
                    "type": "string"
                  },
                  "state": {
                    "type": "string"
                  }
                },
                "required": [
                  "code"
                ],
                "description": "The code as JSON when the request named no `redirect_uri`."
              },
              "LoginForm": {
                "type": "object",
                "properties": {
                  "csrf_token": {
                    "type": "string"
                  },
                  "username": {
                    "type": "string"
                  },
                  "password": {
                    "type": "string"
                  },
                  "return_to": {
                    "type": "string"
                  },
                  "client_id": {
                    "type": "string"
                  }
                },
                "description": "The sign-in form (with the CSRF token of the page)."
              },
              "ConsentForm": {
                "type": "object",
                "properties": {
                  "csrf_token": {
                    "type": "string"
                  },
                  "decision": {
                    "type": "string",
                    "examples": [
                      "approve",
                      "deny"
                    ]
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "scope": {
                    "type": "string"
                  },
                  "return_to": {
                    "type": "string"
                  }
                }
              },
              "CSRFForm": {
                "type": "object",
                "properties": {
                  "csrf_token": {
                    "type": "string"
                  }
                }
              },
              "EndSessionRequest": {
                "type": "object",
                "properties": {
                  "id_token_hint": {
                    "type": "string"
                  },
                  "client_id": {
                    "type": "string"
                  },
                  "post_logout_redirect_uri": {
                    "type": "string"
                  },
                  "state": {
                    "type": "string"
                  },
                  "confirm": {
                    "type": "string",
                    "description": "The confirmation page's answer: yes or no."
                  },
                  "csrf_token": {
                    "type": "string"
                  }
                },
                "description": "OpenID Connect RP-Initiated Logout 1.0 §2 parameters."
              }
            },
            "parameters": {
              "ClientID": {
                "name": "client_id",
                "in": "path",
                "required": true,
                "schema": {
                  "type": "string"
                },
                "description": "The client's `client_id`."
              },
              "RegistrationTokenID": {
                "name": "token_id",
                "in": "path",
                "required": true,
                "schema": {
                  "type": "string"
                },
                "description": "The registration token's id."
              },
              "SecretID": {
                "name": "secret_id",
                "in": "path",
                "required": true,
                "schema": {
                  "type": "string"
                }
              },
              "UserID": {
                "name": "user_id",
                "in": "path",
                "required": true,
                "schema": {
                  "type": "string"
                }
              },
              "Page": {
                "name": "page",
                "in": "query",
                "required": false,
                "schema": {
                  "type": "integer",
                  "format": "int64",
                  "minimum": 1,
                  "default": 1
                }
              },
              "PageSize": {
                "name": "page_size",
                "in": "query",
                "required": false,
                "schema": {
                  "type": "integer",
                  "format": "int64",
                  "minimum": 1,
                  "default": 20
                },
                "description": "Items per page; values above 100 are capped at 100."
              },
              "Origin": {
                "name": "Origin",
                "in": "header",
                "required": false,
                "schema": {
                  "type": "string"
                },
                "description": "The web origin of a browser-based client (CORS)."
              }
            },
            "headers": {
              "Location": {
                "required": true,
                "schema": {
                  "type": "string",
                  "minLength": 1
                }
              },
              "RetryAfter": {
                "required": true,
                "description": "Seconds to wait.",
                "schema": {
                  "type": "string",
                  "pattern": "^[0-9]+$"
                }
              },
              "WWWAuthenticateBearer": {
                "required": true,
                "schema": {
                  "type": "string",
                  "pattern": "^Bearer( |$)"
                },
                "description": "`Bearer realm=\"custos\", error=…` (RFC 6750 §3)."
              },
              "WWWAuthenticate": {
                "schema": {
                  "type": "string",
                  "minLength": 1
                },
                "description": "The challenge, where the request calls for one: `Basic realm=\"custos\"` when a client authenticated with the Authorization header (RFC 6749 §5.2), `Bearer …` at UserInfo (RFC 6750 §3)."
              },
              "NoStore": {
                "required": true,
                "schema": {
                  "type": "string",
                  "const": "no-store"
                },
                "description": "Responses with secrets, tokens, a user's data or a page are never cached (RFC 6749 §5.1)."
              },
              "PublicCache": {
                "required": true,
                "schema": {
                  "type": "string",
                  "pattern": "^public, max-age=[0-9]+$"
                }
              },
              "AnyOrigin": {
                "required": true,
                "schema": {
                  "type": "string",
                  "const": "*"
                },
                "description": "Public documents may be read by any web origin."
              },
              "FrameDeny": {
                "required": true,
                "schema": {
                  "type": "string",
                  "const": "DENY"
                }
              },
              "RetryAfterOptional": {
                "description": "Seconds to wait.",
                "schema": {
                  "type": "string",
                  "pattern": "^[0-9]+$"
                }
              },
              "WWWAuthenticateAny": {
                "required": true,
                "schema": {
                  "type": "string",
                  "minLength": 1
                },
                "description": "RFC 9110 §15.5.2: every 401 carries at least one challenge."
              }
            },
            "responses": {
              "AdminBadRequest": {
                "description": "Invalid request: a parameter or body field (named first in `message`), or an operation not allowed in the current state.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 400
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "AdminUnauthorized": {
                "description": "The bearer token is missing, malformed, expired, revoked or not ours.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 401
                            }
                          }
                        }
                      ]
                    }
                  }
                },
                "headers": {
                  "WWW-Authenticate": {
                    "$ref": "#/components/headers/WWWAuthenticateBearer"
                  }
                }
              },
              "AdminForbidden": {
                "description": "The token is valid but lacks the `admin` scope.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 403
                            }
                          }
                        }
                      ]
                    }
                  }
                },
                "headers": {
                  "WWW-Authenticate": {
                    "$ref": "#/components/headers/WWWAuthenticateBearer"
                  }
                }
              },
              "AdminNotFound": {
                "description": "No such resource.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 404
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "AdminConflict": {
                "description": "Conflict with the current state.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 409
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "AdminTooLarge": {
                "description": "The request body exceeds the configured limit (default 1 MiB).",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 413
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "AdminUnsupportedMediaType": {
                "description": "The request body is not `application/json`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 415
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "AdminServerError": {
                "description": "Internal server error.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 500
                            }
                          }
                        }
                      ]
                    }
                  }
                }
              },
              "AdminUnavailable": {
                "description": "The database is unreachable; nothing was written.",
                "content": {
                  "application/json": {
                    "schema": {
                      "allOf": [
                        {
                          "$ref": "#/components/schemas/SimpleResponse"
                        },
                        {
                          "properties": {
                            "code": {
                              "const": 503
                            }
                          }
                        }
                      ]
                    }
                  }
                },
                "headers": {
                  "Retry-After": {
                    "$ref": "#/components/headers/RetryAfter"
                  }
                }
              },
              "OAuthBadRequest": {
                "description": "The request is invalid (`invalid_request`, `invalid_grant`, `invalid_scope`, `unauthorized_client`, `unsupported_grant_type`, …).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OAuthError"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  }
                }
              },
              "OAuthUnauthorized": {
                "description": "Client authentication failed (`invalid_client`) or the token is invalid (`invalid_token`).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OAuthError"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "WWW-Authenticate": {
                    "$ref": "#/components/headers/WWWAuthenticate"
                  }
                }
              },
              "OAuthForbidden": {
                "description": "`insufficient_scope`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OAuthError"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  }
                }
              },
              "OAuthTooLarge": {
                "description": "The request body exceeds the configured limit (default 1 MiB).",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OAuthError"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  }
                }
              },
              "OAuthTooManyRequests": {
                "description": "`rate_limit_exceeded`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OAuthError"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "Retry-After": {
                    "$ref": "#/components/headers/RetryAfter"
                  }
                }
              },
              "OAuthServerError": {
                "description": "`server_error`.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OAuthError"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  }
                }
              },
              "OAuthUnavailable": {
                "description": "`temporarily_unavailable`: the database is unreachable.",
                "content": {
                  "application/json": {
                    "schema": {
                      "$ref": "#/components/schemas/OAuthError"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "Retry-After": {
                    "$ref": "#/components/headers/RetryAfter"
                  }
                }
              },
              "PageRedirect": {
                "description": "Redirect (`See Other`) to the next page.",
                "headers": {
                  "Location": {
                    "$ref": "#/components/headers/Location"
                  },
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  }
                }
              },
              "PageBadRequest": {
                "description": "An error page: the request is malformed or incomplete.",
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "X-Frame-Options": {
                    "$ref": "#/components/headers/FrameDeny"
                  }
                }
              },
              "PageForbidden": {
                "description": "An error page: the form's CSRF token is missing or wrong.",
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "X-Frame-Options": {
                    "$ref": "#/components/headers/FrameDeny"
                  }
                }
              },
              "PageTooLarge": {
                "description": "An error page: the form exceeds the configured limit.",
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "X-Frame-Options": {
                    "$ref": "#/components/headers/FrameDeny"
                  }
                }
              },
              "PageServerError": {
                "description": "An error page: the server could not complete the request.",
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "X-Frame-Options": {
                    "$ref": "#/components/headers/FrameDeny"
                  }
                }
              },
              "PageUnavailable": {
                "description": "An error page: the database is unreachable.",
                "content": {
                  "text/html": {
                    "schema": {
                      "type": "string"
                    }
                  }
                },
                "headers": {
                  "Cache-Control": {
                    "$ref": "#/components/headers/NoStore"
                  },
                  "X-Frame-Options": {
                    "$ref": "#/components/headers/FrameDeny"
                  },
                  "Retry-After": {
                    "$ref": "#/components/headers/RetryAfter"
                  }
                }
              },
              "NoContent": {
                "description": "Done; no body."
              }
            },
            "securitySchemes": {
              "adminBearer": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "An access token Custos issued with the `admin` scope (client_credentials of an administrator client)."
              },
              "userBearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "An access token Custos issued on a user's behalf (authorization code flow)."
              },
              "clientBasic": {
                "type": "http",
                "scheme": "basic",
                "description": "client_secret_basic (RFC 6749 §2.3.1): id and secret form-URL-encoded, then base64. client_secret_post, client_secret_jwt and private_key_jwt send their credentials in the body instead."
              },
              "initialAccessToken": {
                "type": "http",
                "scheme": "bearer",
                "description": "RFC 7591 §3: the initial access token, when the operator requires one (registration is open by default)."
              },
              "registrationBearer": {
                "type": "http",
                "scheme": "bearer",
                "description": "RFC 7592 §3: the registration access token returned at registration."
              },
              "sessionCookie": {
                "type": "apiKey",
                "in": "cookie",
                "name": "custos_session",
                "description": "The browser session set by the sign-in page."
              }
            }
          }
        }
        """#
}
