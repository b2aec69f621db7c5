using System.CommandLine;
using Node.Cli.Output;
using Node.Protocol.Api;

namespace Node.Cli.Commands;

/// <summary><c>nodectl apikey create|list|revoke</c>: keys for the node's optional TCP listener.</summary>
internal static class ApiKeyCommands
{
    public static Command Create(GlobalOptions globals, CliConsole console)
    {
        var apikey = new Command("apikey", "Keys for the node's optional TCP listener (127.0.0.1).");
        apikey.Subcommands.Add(CreateKey(globals, console));
        apikey.Subcommands.Add(List(globals, console));
        apikey.Subcommands.Add(Revoke(globals, console));
        return apikey;
    }

    private static Command CreateKey(GlobalOptions globals, CliConsole console)
    {
        var scope = CliSymbols.Choice("--scope", CliNames.ApiScopes, "What the key may do: read < write < admin.");
        scope.Required = true;
        var name = new Option<string>("--name") { Description = "A name to know the key by.", HelpName = "NAME" };
        var command = new Command("create", "Create a key; its secret is printed once and cannot be shown again.") { scope, name };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var request = new CreateApiKeyRequest { Scope = CliNames.ApiScopes.Parse(call.Required(scope)), Name = call.Value(name) ?? "" };
            var created = await new ApiKeyService.ApiKeyServiceClient(call.Channel).CreateAsync(request, call.Request()).ConfigureAwait(false);
            var key = created.Key ?? new ApiKey();
            if (call.Json)
            {
                await call.WriteJsonAsync(writer =>
                {
                    writer.WritePropertyName("key");
                    ApiJson.WriteApiKey(writer, key);
                    writer.WriteString("secret", created.Secret);
                }).ConfigureAwait(false);
            }
            else
            {
                await call.WriteAsync(
                    $"""
                    api key {key.Id} created ({CliNames.ApiScopes.NameOf(key.Scope)}{(key.Name.Length > 0 ? $", {Display.OneLine(key.Name)}" : "")})
                    secret: {created.Secret}
                    Keep the secret now: the node stores only its hash and cannot show it again.
                    Send it on TCP calls as 'authorization: Bearer <secret>'.

                    """).ConfigureAwait(false);
            }

            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command List(GlobalOptions globals, CliConsole console)
    {
        var command = new Command("list", "Every key: id, scope, name, when it was made and revoked (never the secret).");
        command.Action = new ApiAction(globals, console, async call =>
        {
            var reply = await new ApiKeyService.ApiKeyServiceClient(call.Channel).ListAsync(new ListApiKeysRequest(), call.Request()).ConfigureAwait(false);
            if (call.Json)
            {
                await call.WriteJsonAsync(writer =>
                {
                    writer.WriteStartArray("keys");
                    foreach (var key in reply.Keys)
                    {
                        ApiJson.WriteApiKey(writer, key);
                    }

                    writer.WriteEndArray();
                }).ConfigureAwait(false);
                return NodeCtl.Ok;
            }

            var table = new TextTable("ID", "SCOPE", "NAME", "CREATED", "REVOKED");
            foreach (var key in reply.Keys)
            {
                table.Add(key.Id, CliNames.ApiScopes.NameOf(key.Scope), key.Name, Display.Time(key.CreatedAt), Display.Time(key.RevokedAt));
            }

            await call.WriteAsync(table.Render("no api keys")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }

    private static Command Revoke(GlobalOptions globals, CliConsole console)
    {
        var id = new Argument<string>("ID") { Description = "The key's id." };
        var command = new Command("revoke", "Revoke a key: calls made with it are refused from now on.") { id };
        command.Action = new ApiAction(globals, console, async call =>
        {
            var key = await new ApiKeyService.ApiKeyServiceClient(call.Channel).RevokeAsync(new RevokeApiKeyRequest { Id = call.Required(id) }, call.Request()).ConfigureAwait(false);
            await (call.Json
                ? call.WriteLineAsync(JsonText.Value(writer => ApiJson.WriteApiKey(writer, key)))
                : call.WriteLineAsync($"api key {key.Id} revoked at {Display.Time(key.RevokedAt)}")).ConfigureAwait(false);
            return NodeCtl.Ok;
        });
        return command;
    }
}
