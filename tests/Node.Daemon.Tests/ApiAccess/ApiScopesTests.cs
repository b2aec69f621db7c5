using System.Text.RegularExpressions;
using Google.Protobuf.Reflection;
using Node.Daemon.Api.Access;
using Node.Daemon.Tests.Support;
using Node.Protocol.Api;

namespace Node.Daemon.Tests.ApiAccess;

public sealed partial class ApiScopesTests
{
    private static IEnumerable<string> MethodsOf(FileDescriptor file) =>
        file.Services.SelectMany(service => service.Methods.Select(method => $"/{service.FullName}/{method.Name}"));

    [Fact]
    public void Every_method_of_api_proto_and_of_health_has_a_scope()
    {
        var methods = MethodsOf(ApiReflection.Descriptor).Concat(MethodsOf(Grpc.Health.V1.HealthReflection.Descriptor)).ToList();

        var missing = methods.Where(m => !ApiScopes.Required.ContainsKey(m)).ToList();

        Assert.True(missing.Count == 0, $"Methods without a scope in ApiScopes.Required: {string.Join(", ", missing)}");
        Assert.True(methods.Count >= 20, $"Only {methods.Count} methods were found: is the descriptor walk broken?");
    }

    [Fact]
    public void The_table_names_no_method_that_does_not_exist()
    {
        var real = MethodsOf(ApiReflection.Descriptor).Concat(MethodsOf(Grpc.Health.V1.HealthReflection.Descriptor)).ToHashSet(StringComparer.Ordinal);

        // Reflection is not served yet; its two names are listed ahead, as read.
        var stale = ApiScopes.Required.Keys.Where(m => !real.Contains(m) && !m.StartsWith("/grpc.reflection.", StringComparison.Ordinal)).ToList();

        Assert.True(stale.Count == 0, $"Entries for methods that do not exist: {string.Join(", ", stale)}");
        Assert.All(ApiScopes.Required.Where(e => e.Key.StartsWith("/grpc.", StringComparison.Ordinal)), e => Assert.Equal(ApiScope.Read, e.Value));
    }

    [Fact]
    public void The_table_says_what_the_comments_in_api_proto_say()
    {
        var documented = ScopesInProtoComments(File.ReadAllLines(Repository.File("src", "Node.Protocol", "api.proto")));

        Assert.Equal(MethodsOf(ApiReflection.Descriptor).Order(StringComparer.Ordinal), documented.Keys.Order(StringComparer.Ordinal));
        Assert.All(documented, entry => Assert.True(entry.Value == ApiScopes.Required[entry.Key],
            $"{entry.Key}: api.proto says {entry.Value}, the table {ApiScopes.Required[entry.Key]}."));
    }

    [Fact]
    public void A_method_missing_from_the_table_needs_admin()
    {
        Assert.Equal(ApiScope.Admin, ApiScopes.For("/sovereign.api.v1.FutureService/Launch"));
    }

    [Theory]
    [InlineData(ApiScope.Read, ApiScope.Read, true)]
    [InlineData(ApiScope.Read, ApiScope.Write, false)]
    [InlineData(ApiScope.Write, ApiScope.Read, true)]
    [InlineData(ApiScope.Write, ApiScope.Admin, false)]
    [InlineData(ApiScope.Admin, ApiScope.Admin, true)]
    [InlineData(ApiScope.Unspecified, ApiScope.Read, false)]
    [InlineData((ApiScope)7, ApiScope.Read, false)]
    public void Scopes_are_ordered_read_write_admin(ApiScope held, ApiScope needed, bool allowed)
    {
        Assert.Equal(allowed, ApiScopes.Allows(held, needed));
    }

    // A method's comment starts with its scope ("// read. …"); ApiKeyService says it once, for
    // every method, in the comment above the service.
    private static Dictionary<string, ApiScope> ScopesInProtoComments(string[] lines)
    {
        var scopes = new Dictionary<string, ApiScope>(StringComparer.Ordinal);
        var comment = new List<string>();
        string? service = null;
        ApiScope? serviceScope = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith("//", StringComparison.Ordinal))
            {
                comment.Add(line[2..].Trim());
                continue;
            }

            if (ServiceLine().Match(line) is { Success: true } s)
            {
                service = s.Groups[1].Value;
                serviceScope = EveryMethod().Match(string.Join(" ", comment)) is { Success: true } every ? Parse(every.Groups[1].Value) : null;
            }
            else if (RpcLine().Match(line) is { Success: true } rpc && service is not null)
            {
                var scope = comment.Count > 0 && LeadingScope().Match(comment[0]) is { Success: true } lead ? Parse(lead.Groups[1].Value) : serviceScope;
                Assert.True(scope is not null, $"api.proto: {service}.{rpc.Groups[1].Value} has no scope in its comment.");
                scopes[$"/sovereign.api.v1.{service}/{rpc.Groups[1].Value}"] = scope!.Value;
            }

            comment.Clear();
        }

        return scopes;
    }

    private static ApiScope Parse(string word) => Assert.IsType<ApiScope>(ApiScopes.TryParse(word, out var scope) ? scope : null);

    [GeneratedRegex(@"^service (\w+) \{")]
    private static partial Regex ServiceLine();

    [GeneratedRegex(@"^rpc (\w+)\(")]
    private static partial Regex RpcLine();

    [GeneratedRegex(@"^(read|write|admin)\.")]
    private static partial Regex LeadingScope();

    [GeneratedRegex(@"\b(read|write|admin) for every method\b")]
    private static partial Regex EveryMethod();
}
