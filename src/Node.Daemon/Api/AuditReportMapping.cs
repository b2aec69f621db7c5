using Node.Reasoning.Audit;
using Proto = Node.Protocol.Api;

namespace Node.Daemon.Api;

/// <summary>Maps the self-audit's report to the local API's <see cref="Proto.AuditReport"/> (ReasoningService.Audit).</summary>
internal static class AuditReportMapping
{
    /// <summary>The API form of <paramref name="report"/>: names and statuses in snake_case, a rate with nothing applicable as 0.</summary>
    public static Proto.AuditReport ToApi(AuditReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var reply = new Proto.AuditReport { PassRate = report.PassRate ?? 0, Confidence = report.Confidence };
        foreach (var category in report.Categories)
        {
            reply.Categories.Add(new Proto.AuditCategoryScore
            {
                Name = AuditNames.Name(category.Category),
                Passed = category.Passed,
                Failed = category.Failed,
                NotApplicable = category.NotApplicable,
                PassRate = category.PassRate ?? 0,
            });
        }

        foreach (var check in report.Checks)
        {
            reply.Checks.Add(new Proto.AuditCheck
            {
                Id = check.Id,
                Category = AuditNames.Name(check.Category),
                Title = check.Title,
                Status = AuditNames.Name(check.Status),
                Finding = check.Finding,
                Recommendation = check.Recommendation ?? "",
            });
        }

        reply.Recommendations.AddRange(report.Recommendations);
        return reply;
    }
}
