using System.Globalization;
using Azure.Data.Tables;

namespace Hotline.Runtime;

public sealed record Disclosure(string MatterId, string Staff, string What, DateTimeOffset At);

/// <summary>
/// Records every disclosure of a citizen's personal data to a staff member before it happens: no record, no
/// disclosure. Rows are per matter, newest first, so "who saw this citizen's data" is one partition read.
/// </summary>
public sealed class DisclosureAudit(TableClient audit, TimeProvider clock)
{
    public Task RecordAsync(string matterId, string staff, string what, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var row = (DateTimeOffset.MaxValue.UtcTicks - now.UtcTicks).ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        return audit.AddEntityAsync(new TableEntity(matterId, row) { ["Staff"] = staff, ["What"] = what, ["At"] = now }, cancellationToken);
    }

    public async Task<IReadOnlyList<Disclosure>> ForMatterAsync(string matterId, CancellationToken cancellationToken = default)
    {
        var list = new List<Disclosure>();
        await foreach (var e in audit.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {matterId}"), cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            list.Add(new Disclosure(matterId, e.GetString("Staff")!, e.GetString("What")!, e.GetDateTimeOffset("At") ?? default));
        }
        return list;
    }
}
