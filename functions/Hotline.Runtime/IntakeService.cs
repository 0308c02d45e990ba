using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Organizers;
using Azure.Data.Tables;

namespace Hotline.Runtime;

public sealed record IntakeOutcome(CommandOutcome Outcome, bool Created);

/// <summary>
/// Accepts a matter from a channel system exactly once per reference. The reference is reserved first (table
/// <c>Intake</c>, insert-only): partition the authenticated channel system, row its own <c>channelRef</c>, so one
/// system's references never meet another's. A retry finds the reservation and gets the same matter; the same reference
/// with a different report is a conflict that reveals nothing of the matter; a reservation whose matter a crash never
/// committed is completed by the retry; and a submission that is refused or fails to save removes its reservation.
/// </summary>
/// <remarks>
/// The request path is three storage requests: the reservation, the commit's sweep alarm and the commit. Everything
/// else (duplicate search, projections, SMS, alarms) is the matter's effects, run after the answer.
/// </remarks>
public sealed class IntakeService(TableClient intake, MatterService matters, DirectoryStore directory, TimeProvider clock)
{
    /// <summary>The longest reference as stored (URL-escaped, so a non-ASCII character takes 6 to 12): well inside a row key.</summary>
    public const int MaxStoredRefLength = 384;

    /// <summary>The reference as it is stored in the row key (keys may not hold '/', '\\', '#', '?' or control characters).</summary>
    public static string StoredRef(string channelRef) => Uri.EscapeDataString(channelRef);

    /// <summary>The partition of Open311 reservations, which anyone holding a token may look up (Open311 <c>tokens/{token}</c>).</summary>
    public const string Open311Partition = "open311";

    /// <summary>
    /// The reservation's key: the authenticated caller, then its own reference. An Open311 token is minted by the API
    /// from a hash over the caller's name and the request, so it is already the caller's own; those share one partition,
    /// where a token can be resolved without knowing its caller.
    /// </summary>
    public static (string Partition, string Row) ReservationKey(Actor caller, Intake request) =>
        (request.Channel == Channel.Open311 ? Open311Partition : Uri.EscapeDataString(caller.Kind.ToString().ToLowerInvariant() + ":" + caller.Id),
            StoredRef(request.ChannelRef));

    public async Task<IntakeOutcome> SubmitAsync(Actor actor, Intake request, CancellationToken cancellationToken = default)
    {
        var (partition, row) = ReservationKey(actor, request);
        if (row.Length > MaxStoredRefLength || partition.Length > MaxStoredRefLength)
        {
            return new IntakeOutcome(new CommandOutcome(null, [], new Refusal(RefusalCodes.InvalidInput,
                $"channelRef: At most {MaxStoredRefLength} characters once URL-escaped.")), Created: false);
        }
        var fingerprint = Fingerprint(request);
        var reserved = NewMatterId(clock.GetUtcNow());
        string matterId;
        var createdReservation = false;
        try
        {
            await intake.AddEntityAsync(new TableEntity(partition, row) { ["MatterId"] = reserved, ["Fingerprint"] = fingerprint }, cancellationToken).ConfigureAwait(false);
            matterId = reserved;
            createdReservation = true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            var existing = await intake.GetEntityAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            // Reservations made before fingerprints were stored have none; they are taken as the same report.
            if (existing.Value.GetString("Fingerprint") is { } stored && stored != fingerprint)
            {
                return new IntakeOutcome(new CommandOutcome(null, [], new Refusal(RefusalCodes.IntakeConflict,
                    "This channelRef was already used for a different report; send a new channelRef for a new matter.")), Created: false);
            }
            matterId = existing.Value.GetString("MatterId")!;
        }

        CommandOutcome outcome;
        try
        {
            var submit = new SubmitMatter(actor, matterId, request, directory.Routing.AutoDispatch(request));
            outcome = await matters.ExecuteAsync(matterId, submit, knownNew: createdReservation, cancellationToken).ConfigureAwait(false);
        }
        catch when (createdReservation)
        {
            // A save that failed leaves nothing behind, so that the channel's retry starts afresh; but only when the matter
            // is certainly not there (a failure after the commit must keep the reservation that points to it).
            if (await MatterCertainlyAbsentAsync(matterId).ConfigureAwait(false))
            {
                await intake.DeleteEntityAsync(partition, row, ETag.All, CancellationToken.None).ConfigureAwait(false);
            }
            throw;
        }
        if (outcome.Accepted) return new IntakeOutcome(outcome, Created: true);
        if (outcome.Refusal!.Code == RefusalCodes.MatterExists && outcome.State is not null)
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

    private async Task<bool> MatterCertainlyAbsentAsync(string matterId)
    {
        try
        {
            return await matters.LoadAsync(matterId, CancellationToken.None).ConfigureAwait(false) is null;
        }
        catch (RequestFailedException)
        {
            return false; // storage cannot say: keep the reservation, the retry completes or reuses it
        }
    }

    /// <summary>
    /// What makes two submissions the same report: every field the channel sent except the instant of receipt (a retry
    /// that leaves it out gets the time of the retry). A hash, so that no personal data is stored twice.
    /// </summary>
    public static string Fingerprint(Intake request)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(request with { ReceivedAt = default }, FingerprintJson);
        return Convert.ToHexString(SHA256.HashData(canonical));
    }

    // Any intake has a fingerprint, even one the store would refuse to save (a NaN coordinate from a caller that skipped
    // the edge checks): the save then fails after the reservation, and the reservation is removed.
    private static readonly JsonSerializerOptions FingerprintJson = new(HotlineJson.Options)
    {
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

    /// <summary>A matter number people can read out on the phone: the CST date and eight random characters.</summary>
    public static string NewMatterId(DateTimeOffset now)
    {
        Span<char> random = stackalloc char[8];
        for (var i = 0; i < random.Length; i++) random[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return ChinaTime.ToChina(now).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture) + new string(random);
    }
}
