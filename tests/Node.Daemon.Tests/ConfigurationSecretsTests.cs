using Node.Daemon.Configuration;

namespace Node.Daemon.Tests;

public sealed class ConfigurationSecretsTests
{
    [Theory]
    [InlineData("Api:Keys:0")]
    [InlineData("Api:ApiKey")]
    [InlineData("Backup:Passphrase")]
    [InlineData("Mirror:Password")]
    [InlineData("Federation:Secrets:Peer")]
    [InlineData("Auth:BearerToken")]
    public void Keys_naming_a_secret_in_any_segment_are_secret(string key)
    {
        Assert.True(ConfigurationSecrets.IsSecret(key));
        Assert.Equal("(redacted)", ConfigurationSecrets.Show(key, "hunter2"));
    }

    [Theory]
    [InlineData("Federation:PeerPort")]
    [InlineData("Node:Name")]
    [InlineData("Logging:Directory")]
    public void Ordinary_keys_are_shown_quoted(string key)
    {
        Assert.False(ConfigurationSecrets.IsSecret(key));
        Assert.Equal("'v'", ConfigurationSecrets.Show(key, "v"));
    }
}
