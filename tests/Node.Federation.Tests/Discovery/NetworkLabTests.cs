using Node.Testing.Network;

namespace Node.Federation.Tests.Discovery;

/// <summary>The namespace lab cleans up after itself and after test processes that died (needs root).</summary>
public sealed class NetworkLabTests
{
    [Fact]
    public async Task Namespaces_and_processes_are_removed_even_when_the_test_body_throws()
    {
        IReadOnlyList<string> made = [];
        var pid = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var lab = await NetworkLab.CreateAsync();
            var a = await lab.AddHostAsync();
            var segment = await lab.AddSegmentAsync();
            await lab.ConnectAsync(a, segment);
            var process = lab.Start(a.Namespace, ["cat"]);
            pid = process.Id;
            made = lab.Namespaces;
            throw new InvalidOperationException("The test body failed.");
        });

        Assert.Equal(2, made.Count);
        Assert.Empty((await NetworkLab.ListNamespacesAsync()).Intersect(made));
        Assert.False(Directory.Exists($"/proc/{pid}"));
    }

    [Fact]
    public async Task Creating_a_lab_sweeps_namespaces_left_by_a_test_process_that_died()
    {
        int deadPid;
        await using (var gone = LabProcess.Start(["true"]))
        {
            await gone.WaitForExitAsync();
            deadPid = gone.Id;
        }

        var stale = $"sn{deadPid}x1h1";
        Assert.Equal(0, (await NetworkLab.RunAsync(["ip", "netns", "add", stale])).ExitCode);
        await using var leftover = LabProcess.Start(["ip", "netns", "exec", stale, "cat"]);

        await using var lab = await NetworkLab.CreateAsync();

        Assert.DoesNotContain(stale, await NetworkLab.ListNamespacesAsync());
        await leftover.WaitForExitAsync();
    }

    [Fact]
    public async Task Hosts_on_one_segment_see_each_other_through_Avahi()
    {
        await using var lab = await NetworkLab.CreateAsync();
        var segment = await lab.AddSegmentAsync();
        var a = await lab.ConnectAsync(await lab.AddHostAsync(), segment);
        var b = await lab.ConnectAsync(await lab.AddHostAsync(), segment);
        var c = await lab.ConnectAsync(await lab.AddHostAsync(), segment);
        await using var publisher = await AvahiDaemon.StartAsync(a);
        await using var browser = await AvahiDaemon.StartAsync(c);
        var browse = browser.StartBrowsing();

        await using var published = await publisher.PublishAsync("lab node", 8102, ["id=abc", "v=1"]);

        var found = await AvahiDaemon.WaitForServiceAsync(browse, "lab node");
        Assert.Equal(8102, found.Port);
        Assert.Equal(["id=abc", "v=1"], found.Txt.Order());
        Assert.Equal(c.Name, found.Interface);
        Assert.NotNull(b);
    }
}
