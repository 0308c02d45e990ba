using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Organizers;
using Hotline.Runtime.Projections;
using Azure.Data.Tables;

namespace Hotline.Runtime;

public sealed record IntakeOutcome(CommandOutcome Outcome, bool Created);

/// <summary>
/// Accepts a matter from a channel exactly once per channel reference. The channel's reference is reserved first
/// (table <c>Intake</c>, one row per channel and reference, insert-only); a retry finds the reservation and gets
/// the same matter, and a reservation whose matter a crash never committed is completed by the retry.
/// </summary>
public sealed class IntakeService(TableClient intake, MatterService matters, DirectoryStore directory, DuplicateFinder duplicates, TimeProvider clock)
{
    public async Task<IntakeOutcome> SubmitAsync(Actor actor, Intake request, CancellationToken cancellationToken = default)
    {
        var partition = JsonNamingPolicy.CamelCase.ConvertName(request.Channel.ToString());
        var row = Uri.EscapeDataString(request.ChannelRef);
        var reserved = NewMatterId(clock.GetUtcNow());
        string matterId;
        var createdReservation = false;
        try
        {
            await intake.AddEntityAsync(new TableEntity(partition, row) { ["MatterId"] = reserved }, cancellationToken).ConfigureAwait(false);
            matterId = reserved;
            createdReservation = true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await intake.GetEntityAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            matterId = existing.Value.GetString("MatterId")!;
        }

        var alike = await duplicates.FindAsync(matterId, request, cancellationToken).ConfigureAwait(false);
        var submit = new SubmitMatter(actor, matterId, request, directory.Routing.AutoDispatch(request), alike);
        var outcome = await matters.ExecuteAsync(matterId, submit, knownNew: createdReservation, cancellationToken).ConfigureAwait(false);
        if (outcome.Accepted) return new IntakeOutcome(outcome, Created: true);
        if (outcome.Refusal!.Code == RefusalCodes.MatterExists && outcome.State is { } state)
        {
            return new IntakeOutcome(outcome with { Refusal = null }, Created: false);
        }
        if (createdReservation)
        {
            // Refused input leaves nothing behind: a corrected request may use the same reference.
            await intake.DeleteEntityAsync(partition, row, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        return new IntakeOutcome(outcome, Created: false);
    }

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

    /// <summary>A matter number people can read out on the phone: the CST date and eight random characters.</summary>
    public static string NewMatterId(DateTimeOffset now)
    {
        Span<char> random = stackalloc char[8];
        for (var i = 0; i < random.Length; i++) random[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return ChinaTime.ToChina(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + new string(random);
    }
}
