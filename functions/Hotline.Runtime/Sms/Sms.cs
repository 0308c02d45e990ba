using Azure;
using Azure.Data.Tables;

namespace Hotline.Runtime.Sms;

/// <param name="RepeatabilityKey">Stable across retries of the same effect: senders use it to send at most once.</param>
/// <param name="MatterId">For the outbox and delivery reports; never personal data.</param>
/// <param name="FirstAttemptAt">When the first attempt to send this message began, stored with its effect so that a retry after
/// a restart presents the same repeatable request.</param>
public sealed record SmsMessage(string To, string Text, string RepeatabilityKey, string MatterId, string NoticeKind, DateTimeOffset? FirstAttemptAt = null);

/// <summary>The SMS port: Azure Communication Services in Azure, the local outbox in Development.</summary>
public interface ISmsSender
{
    Task SendAsync(SmsMessage message, CancellationToken cancellationToken);
}

public sealed record OutboxMessage(string To, string Text, string MatterId, string NoticeKind, string RepeatabilityKey, DateTimeOffset At);

/// <summary>
/// The local SMS sender: each message is stored once under its repeatability key (a second send of the same
/// key is recognised and does nothing), and developers read them at <c>GET /api/dev/sms</c>.
/// </summary>
public sealed class SmsOutbox(TableClient outbox, TimeProvider clock) : ISmsSender
{
    private const string Partition = "sms";

    public async Task SendAsync(SmsMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.AddEntityAsync(new TableEntity(Partition, message.RepeatabilityKey)
            {
                ["To"] = message.To,
                ["Text"] = message.Text,
                ["MatterId"] = message.MatterId,
                ["NoticeKind"] = message.NoticeKind,
                ["At"] = clock.GetUtcNow(),
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Sent already by an earlier attempt of the same effect.
        }
    }

    public async Task<IReadOnlyList<OutboxMessage>> ListAsync(string? matterId = null, CancellationToken cancellationToken = default)
    {
        var filter = matterId is null
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and MatterId eq {matterId}");
        var messages = new List<OutboxMessage>();
        await foreach (var e in outbox.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            messages.Add(new OutboxMessage(e.GetString("To")!, e.GetString("Text")!, e.GetString("MatterId")!, e.GetString("NoticeKind")!, e.RowKey,
                e.GetDateTimeOffset("At") ?? default));
        }
        return messages.OrderBy(m => m.At).ToArray();
    }
}
