using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Node.Daemon.Dashboard;
using Node.Daemon.Tests.Support;

namespace Node.Daemon.Tests.Dashboard;

/// <summary>The metrics token is kept across restarts in a 0600 file; one that others could read, or that holds no token, is replaced.</summary>
public sealed class MetricsTokenFileTests : IDisposable
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string PathOfToken => _dir.Combine(MetricsTokenFile.FileName);

    [Fact]
    public void The_token_made_at_first_start_is_kept_owner_only_and_read_back_at_the_next()
    {
        var (first, renewedFirst) = MetricsTokenFile.LoadOrCreate(_dir.Path);
        var (again, renewedAgain) = MetricsTokenFile.LoadOrCreate(_dir.Path);

        Assert.True(DashboardSecrets.IsWellFormed(first));
        Assert.Equal(first, again);
        Assert.Null(renewedFirst);
        Assert.Null(renewedAgain);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(PathOfToken));
        Assert.False(File.Exists(PathOfToken + ".new"));
    }

    [Fact]
    public void A_token_file_others_could_read_is_replaced_by_a_new_token_owner_only()
    {
        var (old, _) = MetricsTokenFile.LoadOrCreate(_dir.Path);
        File.SetUnixFileMode(PathOfToken, OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var (token, renewed) = MetricsTokenFile.LoadOrCreate(_dir.Path);

        Assert.NotEqual(old, token);
        Assert.Equal($"{PathOfToken} could be read by others", renewed);
        Assert.Equal(OwnerOnly, File.GetUnixFileMode(PathOfToken));
        Assert.Equal(token, File.ReadAllText(PathOfToken).Trim());
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("not a token but forty three characters long!!")]
    public void A_token_file_that_holds_no_token_is_replaced(string content)
    {
        File.WriteAllText(PathOfToken, content);
        File.SetUnixFileMode(PathOfToken, OwnerOnly);

        var (token, renewed) = MetricsTokenFile.LoadOrCreate(_dir.Path);

        Assert.True(DashboardSecrets.IsWellFormed(token));
        Assert.Equal($"{PathOfToken} does not hold a token", renewed);
    }

    [Fact]
    public void A_directory_where_the_token_file_goes_is_refused_naming_it()
    {
        Directory.CreateDirectory(PathOfToken);

        var refused = Assert.Throws<IOException>(() => MetricsTokenFile.LoadOrCreate(_dir.Path));

        Assert.Contains(MetricsTokenFile.FileName, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dashboard_asks_for_its_token_once_and_only_when_it_is_needed()
    {
        var asked = 0;
        var access = new DashboardAccess(Options.Create(new DashboardOptions()), new FakeTimeProvider(), () =>
        {
            asked++;
            return MetricsTokenFile.LoadOrCreate(_dir.Path).Token;
        });
        Assert.Equal(0, asked);
        Assert.False(File.Exists(PathOfToken));

        Assert.True(access.IsMetricsToken(access.MetricsToken));
        Assert.False(access.IsMetricsToken(new string('A', DashboardSecrets.Length)));
        Assert.Equal(1, asked);
        Assert.Equal(access.MetricsToken, MetricsTokenFile.LoadOrCreate(_dir.Path).Token);
    }
}
