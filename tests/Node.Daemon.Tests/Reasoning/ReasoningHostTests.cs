using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Node.Daemon.Reasoning;
using Node.Daemon.Tests.Support;
using Node.Reasoning.Observations;
using Node.Storage;
using Node.Storage.Decisions;
using Node.Storage.Packets;

namespace Node.Daemon.Tests.Reasoning;

/// <summary>The reasoning host inside a real in-process node: decisions recorded, learnt state kept across restarts.</summary>
public sealed class ReasoningHostTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Decisions_are_recorded_with_an_explanation_an_event_and_a_signed_decision_packet()
    {
        var services = new ServiceProbe();
        await using var node = await ApiNode.StartAsync(customize: services.Customize);
        var host = services.Services.GetRequiredService<ReasoningHost>();
        var decided = new List<BarResult>();
        foreach (var bar in Walk(1500, seed: 5))
        {
            var result = await host.ObserveBarAsync("walk", bar, Token);
            if (result.DecisionId is not null)
            {
                decided.Add(result);
            }
        }

        Assert.NotEmpty(decided);
        var store = services.Services.GetRequiredService<NodeStore>();
        var recorder = services.Services.GetRequiredService<DecisionRecorder>();
        while (true)
        {
            var next = recorder.NextRecorded;
            if (recorder.Recorded == decided.Count)
            {
                break;
            }

            await next.WaitAsync(TimeSpan.FromSeconds(30), Token);
        }

        using var reader = store.OpenReader();
        foreach (var result in decided.Take(20))
        {
            var row = reader.Decisions.Find(result.DecisionId!);
            Assert.NotNull(row);
            Assert.Equal(result.Verdict!.Value.IsAutoApproved ? DecisionStatuses.AutoApproved : DecisionStatuses.Pending, row.Status);
            using var explanation = JsonDocument.Parse(row.Explanation);
            Assert.Equal("walk", explanation.RootElement.GetProperty("subject").GetString());
            Assert.Equal(5, explanation.RootElement.GetProperty("stages").GetArrayLength());
            Assert.True(explanation.RootElement.GetProperty("findings").GetArrayLength() > 0);
            Assert.Single(reader.Packets.BySlot("decisions", result.DecisionId!));
        }
    }

    [Fact]
    public async Task What_the_pipeline_learnt_is_there_again_after_a_restart()
    {
        var services = new ServiceProbe();
        var node = await ApiNode.StartAsync(customize: services.Customize);
        try
        {
            foreach (var bar in Walk(1500, seed: 9))
            {
                await services.Services.GetRequiredService<ReasoningHost>().ObserveBarAsync("walk", bar, Token);
            }

            var before = await services.Services.GetRequiredService<ReasoningHost>().GetStatusAsync(Token);
            Assert.True(before.Calibration.Reflections > 0);

            node = await node.RestartAsync();
            var after = await services.Services.GetRequiredService<ReasoningHost>().GetStatusAsync(Token);
            Assert.Equal(before.Calibration.Reflections, after.Calibration.Reflections);
            Assert.Equal(1, after.Subjects);
            Assert.Equal(0, after.Cycles);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_automatic_approvals_of_the_last_hour_still_count_toward_the_cap_after_a_restart()
    {
        var services = new ServiceProbe();
        var node = await ApiNode.StartAsync(customize: services.Customize);
        try
        {
            var matrix = services.Services.GetRequiredService<ReasoningHost>().Matrix;
            var cap = matrix.Policy.Rules.Single(r => r.Type == "self_heal").MaxAutoPerHour;
            for (var i = 0; i < cap; i++)
            {
                Assert.True(matrix.Evaluate("self_heal", 0.99).IsAutoApproved);
            }

            // As the recorder stores them: auto-approved rows of the last hour.
            node = await node.RestartAsync(directory =>
            {
                using var db = new SqliteConnection($"Data Source={Path.Combine(directory, ".node", "node.db")};Pooling=false");
                db.Open();
                for (var i = 0; i < cap; i++)
                {
                    using var insert = db.CreateCommand();
                    insert.CommandText = "INSERT INTO decisions (id, type, status, confidence, created_at, decided_at, decided_by, reason, explanation) " +
                        "VALUES ($id, 'self_heal', 'auto_approved', 0.99, $at, $at, 'auto', 'test', x'7b7d')";
                    insert.Parameters.AddWithValue("$id", $"seed{i}");
                    insert.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds());
                    insert.ExecuteNonQuery();
                }

                return Task.CompletedTask;
            });

            await services.Services.GetRequiredService<ReasoningHost>().GetStatusAsync(Token); // the loop has restored
            var after = services.Services.GetRequiredService<ReasoningHost>().Matrix.Evaluate("self_heal", 0.99);
            Assert.Equal(Node.Reasoning.Decisions.DecisionReason.OverHourlyCap, after.Reason);
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_damaged_state_is_set_aside_and_reasoning_starts_fresh()
    {
        var services = new ServiceProbe();
        var node = await ApiNode.StartAsync(customize: services.Customize);
        try
        {
            foreach (var bar in Walk(300, seed: 2))
            {
                await services.Services.GetRequiredService<ReasoningHost>().ObserveBarAsync("walk", bar, Token);
            }

            node = await node.RestartAsync(directory =>
            {
                using var db = new SqliteConnection($"Data Source={Path.Combine(directory, ".node", "node.db")};Pooling=false");
                db.Open();
                using var damage = db.CreateCommand();
                damage.CommandText = $"UPDATE memory SET content = x'00112233' WHERE kind = '{ReasoningState.Kind}'";
                Assert.Equal(1, damage.ExecuteNonQuery());
                return Task.CompletedTask;
            });

            var status = await services.Services.GetRequiredService<ReasoningHost>().GetStatusAsync(Token);
            Assert.Equal(0, status.Subjects);
            using var reader = services.Services.GetRequiredService<NodeStore>().OpenReader();
            Assert.Single(reader.Memory.Rows(ReasoningState.DamagedKind));
        }
        finally
        {
            await node.DisposeAsync();
        }
    }

    private static IEnumerable<Bar> Walk(int count, int seed)
    {
        var random = new Random(seed);
        var close = 100.0;
        var start = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        for (var i = 0; i < count; i++)
        {
            var open = close;
            close *= 1 + (0.02 * ((random.NextDouble() * 2) - 1));
            var high = Math.Max(open, close) * (1 + (0.005 * random.NextDouble()));
            var low = Math.Min(open, close) * (1 - (0.005 * random.NextDouble()));
            yield return new Bar(start + (i * 86_400L), open, high, low, close, 1000 + random.Next(1000));
        }
    }
}
