/// One client model (issue #12): everything a client declares moves from its own columns
/// into the `metadata` JSON document, under the `ClientMetadata` wire names, and the old
/// columns go. What a query filters on stays a column: `tenant_id`, `client_id`, `name`
/// (the listing's search; also kept as `client_name` in the document), `status`,
/// `deleted_at`, `created_at`, and the record's `first_party` and `require_pkce`.
///
/// The OpenID members already in `metadata` stay. `client_uri`, `policy_uri` and `tos_uri`
/// were held twice (a column and, in principle, the OpenID bag): the column wins where set.
/// SQLite has `json_patch` (RFC 7396: a null member is removed, so an unset column adds
/// nothing) and PostgreSQL `jsonb ||` after `jsonb_strip_nulls`, to the same effect. Dropping
/// the columns is safe on SQLite (3.35+, bundled by sqlite-nio): none is in an index, a
/// constraint or a view.
enum Migration0009ClientMetadata {
    static let movedColumns = [
        "is_confidential", "redirect_uris", "grant_types", "client_auth_methods", "scopes", "cors_origins", "jwks", "jwks_uri",
        "logo_url", "privacy_policy", "terms_url", "website", "fapi_profile", "access_token_format",
    ]

    static let migration = Migration(
        id: 9,
        name: "client_metadata",
        statements: [
            """
            UPDATE oauth_clients SET metadata = json_patch(
                CASE WHEN json_valid(metadata) THEN metadata ELSE '{}' END,
                json_object(
                    'client_name', name,
                    'is_confidential', json(CASE WHEN is_confidential <> 0 THEN 'true' ELSE 'false' END),
                    'redirect_uris', json(redirect_uris),
                    'grant_types', json(grant_types),
                    'token_endpoint_auth_methods', json(client_auth_methods),
                    'scope', COALESCE((SELECT group_concat(s.value, ' ') FROM json_each(oauth_clients.scopes) AS s), ''),
                    'cors_origins', json(cors_origins),
                    'jwks', jwks,
                    'jwks_uri', jwks_uri,
                    'logo_uri', logo_url,
                    'policy_uri', COALESCE(privacy_policy, json_extract(metadata, '$.policy_uri')),
                    'tos_uri', COALESCE(terms_url, json_extract(metadata, '$.tos_uri')),
                    'client_uri', COALESCE(website, json_extract(metadata, '$.client_uri')),
                    'fapi_profile', fapi_profile,
                    'access_token_format', access_token_format
                )
            )
            """
        ] + movedColumns.map { "ALTER TABLE oauth_clients DROP COLUMN \($0)" },
        postgres: [
            """
            UPDATE oauth_clients SET metadata = (metadata::jsonb || jsonb_strip_nulls(jsonb_build_object(
                'client_name', name,
                'is_confidential', is_confidential <> 0,
                'redirect_uris', redirect_uris::jsonb,
                'grant_types', grant_types::jsonb,
                'token_endpoint_auth_methods', client_auth_methods::jsonb,
                'scope', COALESCE((SELECT string_agg(s.value, ' ' ORDER BY s.n)
                    FROM jsonb_array_elements_text(scopes::jsonb) WITH ORDINALITY AS s(value, n)), ''),
                'cors_origins', cors_origins::jsonb,
                'jwks', jwks,
                'jwks_uri', jwks_uri,
                'logo_uri', logo_url,
                'policy_uri', privacy_policy,
                'tos_uri', terms_url,
                'client_uri', website,
                'fapi_profile', fapi_profile,
                'access_token_format', access_token_format
            )))::text
            """
        ] + movedColumns.map { "ALTER TABLE oauth_clients DROP COLUMN \($0)" }
    )
}
