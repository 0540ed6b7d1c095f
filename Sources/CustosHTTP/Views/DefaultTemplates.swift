/// The built-in page templates (Mustache; `{{…}}` escapes HTML). An operator replaces any of
/// them by putting a file of the same name (`login.mustache`, …) in the templates folder.
enum DefaultTemplates {
    static let all: [String: String] = [
        "header": header, "footer": footer, "login": login, "consent": consent, "account": account, "error": error,
        "logout_confirm": logoutConfirm, "logged_out": loggedOut,
    ]

    static let header = """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>{{title}} · Custos</title>
        <style>
          :root { color-scheme: light dark; --accent: #2f5bd3; --muted: #5c6370; --border: #8a929e; --bg: #f5f6f8; --card: #fff; --text: #1c1f24; --danger: #b42318; }
          @media (prefers-color-scheme: dark) { :root { --bg: #15171b; --card: #1f2228; --text: #e8eaed; --muted: #a0a6b0; --border: #6b717b; --accent: #3358d4; --danger: #f97066; } }
          * { box-sizing: border-box; }
          body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: var(--bg); color: var(--text);
                 font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
          main { width: min(420px, calc(100vw - 2rem)); background: var(--card); border: 1px solid var(--border);
                 border-radius: 12px; padding: 2rem; box-shadow: 0 8px 24px rgba(0,0,0,.06); }
          .brand { display: flex; align-items: center; gap: .75rem; margin-bottom: 1.25rem; }
          .brand img { width: 40px; height: 40px; border-radius: 8px; object-fit: contain; }
          h1 { font-size: 1.35rem; margin: 0 0 .25rem; }
          p.lead { color: var(--muted); margin: 0 0 1.25rem; }
          label { display: block; font-weight: 600; margin: 1rem 0 .35rem; }
          input[type=text], input[type=password] { width: 100%; padding: .65rem .75rem; font: inherit; color: inherit;
                 background: transparent; border: 1px solid var(--border); border-radius: 8px; }
          input:focus-visible, button:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
          .actions { display: flex; gap: .75rem; margin-top: 1.5rem; }
          button { flex: 1; padding: .7rem 1rem; font: inherit; font-weight: 600; border-radius: 8px; cursor: pointer;
                 border: 1px solid var(--accent); background: var(--accent); color: #fff; }
          button.secondary { background: transparent; color: var(--text); border-color: var(--border); }
          .error { color: var(--danger); border: 1px solid var(--danger); border-radius: 8px; padding: .6rem .8rem; margin-bottom: 1rem; }
          ul.scopes { list-style: none; padding: 0; margin: 1rem 0; border-top: 1px solid var(--border); }
          ul.scopes li { padding: .6rem 0; border-bottom: 1px solid var(--border); }
          ul.scopes strong { display: block; }
          ul.scopes span { color: var(--muted); font-size: .925rem; }
          footer { margin-top: 1.5rem; color: var(--muted); font-size: .85rem; }
          footer a { color: var(--muted); }
        </style>
        </head>
        <body>
        <main>
        {{#client_name}}
        <div class="brand">{{#client_logo}}<img src="{{client_logo}}" alt="">{{/client_logo}}<span>{{client_name}}</span></div>
        {{/client_name}}

        """

    static let footer = """
        <footer>
        {{#client_website}}<a href="{{client_website}}" rel="noopener">{{client_name}}</a> · {{/client_website}}Secured by Custos
        </footer>
        </main>
        </body>
        </html>

        """

    static let login = """
        {{> header}}
        <h1>Sign in</h1>
        <p class="lead">{{#client_name}}to continue to {{client_name}}{{/client_name}}{{^client_name}}to your account{{/client_name}}</p>
        {{#error}}<div class="error" role="alert">{{error}}</div>{{/error}}
        <form method="post" action="{{action}}">
          <input type="hidden" name="csrf_token" value="{{csrf_token}}">
          <input type="hidden" name="return_to" value="{{return_to}}">
          <input type="hidden" name="client_id" value="{{client_id}}">
          <label for="username">Username or email</label>
          <input type="text" id="username" name="username" value="{{username}}" autocomplete="username" required{{^error}} autofocus{{/error}}>
          <label for="password">Password</label>
          <input type="password" id="password" name="password" autocomplete="current-password" required{{#error}} autofocus{{/error}}>
          <div class="actions"><button type="submit">Sign in</button></div>
        </form>
        {{> footer}}
        """

    static let consent = """
        {{> header}}
        <h1>{{client_name}} wants access</h1>
        <p class="lead">Signed in as {{user_name}}. {{client_name}} is asking to:</p>
        <ul class="scopes">
        {{#scopes}}
          <li><strong>{{title}}</strong><span>{{description}}</span></li>
        {{/scopes}}
        </ul>
        {{#has_claims}}
        <p class="lead">and to see these details of your account:</p>
        <ul class="claims">
        {{/has_claims}}
        {{#claims}}
          <li><strong>{{title}}</strong></li>
        {{/claims}}
        {{#has_claims}}
        </ul>
        {{/has_claims}}
        {{#has_details}}
        <p class="lead">and to act on these details of this request:</p>
        <ul class="authorization-details">
        {{/has_details}}
        {{#details}}
          <li><strong>{{type}}</strong>{{#fields}}<span>{{label}}: {{value}}</span>{{/fields}}</li>
        {{/details}}
        {{#has_details}}
        </ul>
        {{/has_details}}
        <form method="post" action="{{action}}">
          <input type="hidden" name="csrf_token" value="{{csrf_token}}">
          <input type="hidden" name="authorization_request" value="{{authorization_request}}">
          <div class="actions">
            <button type="submit" name="decision" value="deny" class="secondary">Deny</button>
            <button type="submit" name="decision" value="approve">Allow</button>
          </div>
        </form>
        {{> footer}}
        """

    static let account = """
        {{> header}}
        <h1>You are signed in</h1>
        <p class="lead">Signed in as <strong>{{user_name}}</strong>.</p>
        <form method="post" action="{{logout_action}}">
          <input type="hidden" name="csrf_token" value="{{csrf_token}}">
          <div class="actions"><button type="submit" class="secondary">Sign out</button></div>
        </form>
        {{> footer}}
        """

    static let logoutConfirm = """
        {{> header}}
        <h1>Sign out?</h1>
        <p class="lead">Signed in as {{user_name}}. Do you want to sign out{{#client_name}} of {{client_name}} and this server{{/client_name}}?</p>
        <form method="post" action="{{action}}">
          <input type="hidden" name="csrf_token" value="{{csrf_token}}">
          <input type="hidden" name="client_id" value="{{client_id}}">
          <input type="hidden" name="post_logout_redirect_uri" value="{{post_logout_redirect_uri}}">
          <input type="hidden" name="state" value="{{state}}">
          <div class="actions">
            <button type="submit" name="confirm" value="no" class="secondary">Stay signed in</button>
            <button type="submit" name="confirm" value="yes">Sign out</button>
          </div>
        </form>
        {{> footer}}
        """

    static let loggedOut = """
        {{> header}}
        <h1>You are signed out</h1>
        {{#redirect}}<p class="lead"><a href="{{redirect}}">Continue</a></p>{{/redirect}}
        {{^redirect}}<p class="lead">You can close this window.</p>{{/redirect}}
        {{#frontchannel}}<iframe src="{{.}}" title="Signing out of an application" hidden></iframe>{{/frontchannel}}
        {{> footer}}
        """

    static let error = """
        {{> header}}
        <h1>{{title}}</h1>
        <div class="error" role="alert">{{message}}</div>
        {{> footer}}
        """
}
