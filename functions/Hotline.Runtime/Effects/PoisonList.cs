using Azure.Data.Tables;
using Hotline.Runtime.Store;

namespace Hotline.Runtime.Effects;

public sealed record PoisonedEffect(string MatterId, string EffectId, string Kind, string Payload, int Attempts, string Error, DateTimeOffset At);

/// <summary>Effects that failed every attempt. Payloads hold ids and notices, never citizens' personal data.</summary>
public sealed class PoisonList(TableClient poison)
{
    private const string Partition = "poison";

    public Task AddAsync(PendingEffect effect, int attempts, string error, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        poison.UpsertEntityAsync(new TableEntity(Partition, effect.IdempotencyKey)
        {
            ["MatterId"] = effect.MatterId,
            ["EffectId"] = effect.Id,
            ["Kind"] = effect.Kind,
            ["Payload"] = effect.Payload,
            ["Attempts"] = attempts,
            ["Error"] = error,
            ["At"] = now,
        }, TableUpdateMode.Replace, cancellationToken);

    public async Task<IReadOnlyList<PoisonedEffect>> ListAsync(int max = 1000, CancellationToken cancellationToken = default)
    {
        var page = await poison.QueryPageAsync(TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), top: Math.Clamp(max, 1, 1000), cancellationToken: cancellationToken).ConfigureAwait(false);
        return page.Entities.Select(e => new PoisonedEffect(e.GetString("MatterId")!, e.GetString("EffectId")!, e.GetString("Kind")!,
            e.GetString("Payload")!, e.GetInt32("Attempts") ?? 0, e.GetString("Error") ?? "", e.GetDateTimeOffset("At") ?? default)).ToArray();
    }
}
