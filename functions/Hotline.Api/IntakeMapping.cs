using System.Text.RegularExpressions;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime;

namespace Hotline.Api;

/// <summary>Turns a channel's request into an intake, checking every field and naming each one that is wrong.</summary>
public static partial class IntakeMapping
{
    /// <summary>How far a channel's clock may run ahead of ours.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>How late a channel may deliver a matter it received.</summary>
    private static readonly TimeSpan MaxDelay = TimeSpan.FromDays(30);

    public static (Intake? Intake, FieldErrors Errors) ToIntake(MatterBody b, DateTimeOffset now)
    {
        var e = new FieldErrors();
        var channel = e.Enum("channel", b.Channel);
        var channelRef = e.Required("channelRef", b.ChannelRef, 128);
        if (channelRef is not null && IntakeService.StoredRef(channelRef).Length > IntakeService.MaxStoredRefLength)
        {
            // Measured as stored (URL-escaped in a row key), where a Chinese character takes nine.
            e.Add("channelRef", $"At most {IntakeService.MaxStoredRefLength} characters once URL-escaped: fewer non-ASCII characters.");
            channelRef = null;
        }
        var type = e.Enum("type", b.Type);
        var category = e.Required("category", b.Category, 64);
        var title = e.Required("title", b.Title, 200);
        var description = e.Required("description", b.Description, 4000);

        var where = b.Location;
        // Weifang 11: a matter that happened somewhere needs a specific address.
        var needsAddress = type is MatterType.Help or MatterType.Complaint or MatterType.Report;
        string? address = null;
        if (where is null && needsAddress) e.Add("location", "Required for help, complaint and report matters (Weifang 11).");
        if (where is not null)
        {
            address = needsAddress ? e.Required("location.address", where.Address, 300) : e.Optional("location.address", where.Address, 300);
            e.Optional("location.district", where.District, 64);
            // NaN and the infinities (which JSON numbers cannot carry, but strings read as numbers can) are no place.
            if (where.Lat is { } lat && (!double.IsFinite(lat) || lat is < -90 or > 90)) e.Add("location.lat", "A number from -90 to 90.");
            if (where.Lon is { } lon && (!double.IsFinite(lon) || lon is < -180 or > 180)) e.Add("location.lon", "A number from -180 to 180.");
            if (where.Lat is null != where.Lon is null) e.Add(where.Lat is null ? "location.lat" : "location.lon", "Give both lat and lon, or neither.");
        }

        string? phone = null;
        if (b.Citizen is null) e.Add("citizen", "Required: the citizen's contact details (Weifang 11).");
        else
        {
            phone = e.Required("citizen.phone", b.Citizen.Phone, 32);
            if (phone is not null && !Phone().IsMatch(phone)) { e.Add("citizen.phone", "A phone number: digits, with an optional leading + and spaces or dashes."); phone = null; }
            e.Optional("citizen.name", b.Citizen.Name, 64);
        }

        var receivedAt = b.ReceivedAt ?? now;
        if (receivedAt > now + ClockSkew) e.Add("receivedAt", "Cannot be in the future.");
        if (receivedAt < now - MaxDelay) e.Add("receivedAt", $"More than {MaxDelay.TotalDays:0} days ago; report older matters through staff.");

        if (e.Any) return (null, e);
        return (new Intake(channel!.Value, channelRef!, type!.Value, b.Urgency ?? Urgency.Normal, category!, title!, description!,
            new Location(address, where?.District?.Trim(), where?.Lat, where?.Lon),
            new Citizen(b.Citizen!.Name?.Trim(), phone!, b.Citizen.Confidential ?? false),
            receivedAt > now ? now : receivedAt), e);
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{4,30}$")]
    private static partial Regex Phone();
}
