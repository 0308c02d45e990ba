using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Hotline.Api.Security;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;
using Hotline.Runtime.Organizers;
using Microsoft.AspNetCore.Http;

namespace Hotline.Api.Open311;

/// <summary>One entry of the spec's error array: a code (usually the HTTP status) and a description for the user.</summary>
public sealed record Open311Error(int Code, string Description);

/// <summary>A POST Service Request turned into the hotline's intake, with the token that makes its retries idempotent.</summary>
public sealed record Open311Submission(Intake Intake, string Token, string? AccountId);

/// <summary>
/// POST Service Request (wiki.open311.org/GeoReport_v2, "POST Service Request"): the spec's form fields mapped onto
/// the hotline's intake, every refusal naming its field.
/// </summary>
public static partial class Open311Intake
{
    /// <summary>Where a media_url is kept in the description: the intake has no field for it, and the organizer must see it.</summary>
    public const string MediaMarker = "\n\n[media_url] ";

    private const int TokenLength = 26;
    private const string Base32 = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford, lower case: no i, l, o, u

    /// <summary>
    /// Maps the form. The spec's own requirements: service_code, and a location (lat &amp; long, address_string or
    /// address_id). The hotline's: a description and a way to reach the citizen, phone or email, either of which the
    /// spec leaves optional but one of which the hotline must have to reply (Weifang art. 11: contact details and the
    /// matter's content are required elements).
    /// </summary>
    public static (Open311Submission? Submission, IReadOnlyList<Open311Error> Errors) Read(
        IFormCollection form, Caller caller, Open311Service service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(service);
        var errors = new List<Open311Error>();
        var flagged = new HashSet<string>(StringComparer.Ordinal);
        string? Field(string name, int maxLength)
        {
            var values = form[name];
            if (values.Count > 1) { Flag(name, $"{name} was sent {values.Count} times; send it once."); return null; }
            var value = values.Count == 1 ? values[0]?.Trim() : null;
            if (string.IsNullOrEmpty(value)) return null; // the spec: an empty parameter is the same as a missing one
            if (value.Length > maxLength) { Flag(name, $"{name} is longer than {maxLength} characters."); return null; }
            return value;
        }
        void Flag(string name, string description)
        {
            flagged.Add(name);
            Bad(description);
        }
        void Bad(string description) => errors.Add(new Open311Error(StatusCodes.Status400BadRequest, description));

        var latText = Field("lat", 32);
        var longText = Field("long", 32);
        var address = Field("address_string", 300);
        var addressId = Field("address_id", 128);
        double? lat = null, lon = null;
        if (latText is not null || longText is not null)
        {
            if (latText is null || longText is null) Bad("lat and long must both be sent, or neither.");
            else
            {
                lat = Coordinate(latText, 90);
                lon = Coordinate(longText, 180);
                if (lat is null) Bad("lat must be a WGS84 latitude from -90 to 90.");
                if (lon is null) Bad("long must be a WGS84 longitude from -180 to 180.");
            }
        }
        if (latText is null && longText is null && address is null)
        {
            // We keep no master address repository, so an address_id alone cannot be placed.
            Bad(addressId is null
                ? "A location is required: lat and long, or address_string."
                : "address_id cannot be resolved here (no master address repository); send lat and long, or address_string.");
        }

        var description = Field("description", 4000);
        if (description is null && !flagged.Contains("description"))
            Bad("description is required: the hotline needs the matter's content (Weifang art. 11).");
        var phone = Field("phone", 32);
        if (phone is not null && !PhonePattern().IsMatch(phone))
        {
            Bad("phone must be a phone number: digits, an optional leading +, spaces or dashes.");
            phone = null;
        }
        var email = Field("email", 254);
        if (email is not null && !EmailPattern().IsMatch(email))
        {
            Bad("email must be an e-mail address, e.g. name@example.cn.");
            email = null;
        }
        if (form["phone"].All(string.IsNullOrWhiteSpace) && form["email"].All(string.IsNullOrWhiteSpace))
            Bad("phone or email is required: the hotline must be able to contact the citizen (Weifang art. 11).");
        var first = Field("first_name", 32);
        var last = Field("last_name", 32);
        var deviceId = Field("device_id", 128);
        var accountId = Field("account_id", 128);
        var media = Field("media_url", 2000);
        if (media is not null && !(Uri.TryCreate(media, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)))
            Bad("media_url must be an absolute http or https URL.");

        var type = MatterType.Complaint;
        var attributes = form.Keys.Where(k => k.StartsWith("attribute[", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(k => (Key: k, Value: string.Join(",", form[k].Select(v => v?.Trim())))).ToArray();
        var typeKey = $"attribute[{Open311Catalog.TypeAttribute}]";
        if (Field(typeKey, 32) is { } typeText)
        {
            if (Open311Catalog.ParseType(typeText) is { } parsed) type = parsed;
            else Bad($"{typeKey} must be one of: {string.Join(", ", Open311Catalog.MatterTypes.Select(t => Open311Catalog.Key(t.Type)))}.");
        }
        // Attributes other than ours are ignored, as FixMyStreet and others send their own (title, report_url…).

        if (errors.Count > 0) return (null, errors);

        var token = Token(caller.Name, ChinaTime.DayOf(now), service.Code, latText, longText, address, addressId, email, deviceId, accountId,
            first, last, phone, description, media, string.Join("\n", attributes.Select(a => a.Key + "=" + a.Value)));
        var intake = new Intake(
            Channel.Open311, token, type, Urgency.Normal, service.Code, Title(service.Name, description!),
            media is null ? description! : description + MediaMarker + media,
            new Location(address, null, lat, lon),
            new Citizen(Name(first, last), phone ?? "", Confidential: false, email),
            now);
        return (new Open311Submission(intake, token, accountId), errors);
    }

    /// <summary>
    /// The channel reference of a submission, and its token. The spec gives a POST no client reference, so the
    /// reference is a digest of what was submitted, by whom, on which CST day: a client retrying a POST whose
    /// answer it lost gets the same request, not a second one, while the same words a day later are a new report.
    /// </summary>
    public static string Token(string caller, DateOnly day, params string?[] fields)
    {
        var text = new StringBuilder(caller).Append('\u001f').Append(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        foreach (var f in fields) text.Append('\u001f').Append(f?.ReplaceLineEndings("\n") ?? "\u0000");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        var token = new char[TokenLength];
        for (var i = 0; i < TokenLength; i++)
        {
            var bit = i * 5;
            var chunk = (hash[bit / 8] << 8 | hash[bit / 8 + 1]) >> (11 - bit % 8) & 31;
            token[i] = Base32[chunk];
        }
        return new string(token);
    }

    public static bool IsToken(string text) => text.Length == TokenLength && text.All(c => Base32.Contains(c, StringComparison.Ordinal));

    /// <summary>Splits what <see cref="Read"/> appended: the citizen's description and the media_url.</summary>
    public static (string Description, string? MediaUrl) SplitMedia(string stored)
    {
        var at = stored.LastIndexOf(MediaMarker, StringComparison.Ordinal);
        if (at < 0) return (stored, null);
        var url = stored[(at + MediaMarker.Length)..];
        return Uri.TryCreate(url, UriKind.Absolute, out _) && !url.Contains('\n', StringComparison.Ordinal) ? (stored[..at], url) : (stored, null);
    }

    private static double? Coordinate(string text, double limit) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) && Math.Abs(v) <= limit ? v : null;

    /// <summary>Chinese names are family name first without a space; others "first last".</summary>
    private static string? Name(string? first, string? last)
    {
        if (first is null || last is null) return first ?? last;
        return (first + last).Any(c => c is >= '\u3400' and <= '\u9fff') ? last + first : first + " " + last;
    }

    /// <summary>Open311 has no title: the service's name and the start of the description stand for it.</summary>
    private static string Title(string serviceName, string description)
    {
        var line = description.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        var snippet = line.Length > 30 ? line[..30] + "…" : line;
        return snippet.Length == 0 ? serviceName : serviceName + "：" + snippet;
    }

    [GeneratedRegex(@"^\+?[0-9][0-9 \-]{4,30}$")]
    private static partial Regex PhonePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex EmailPattern();
}

/// <summary>
/// GET Service Request(s): a matter as a GeoReport v2 <c>request</c> (wiki.open311.org/GeoReport_v2, "GET Service
/// Requests", Response). Every caller sees what the staff index shows, which holds no personal data: status, service,
/// agency, dates and generic notes. The description, address, coordinates, media and reply text are shown only to
/// the channel system that submitted the request itself, which already holds them; other channels' matters (phone
/// calls, WeChat) never expose the citizen's words or whereabouts to a third-party app (Weifang art. 13).
/// </summary>
public static class Open311Requests
{
    /// <summary>Closed in the spec's sense: the hotline will do nothing more with it.</summary>
    public static bool IsClosed(MatterStatus status) =>
        status is MatterStatus.Closed or MatterStatus.Rejected or MatterStatus.Answered or MatterStatus.Terminated or MatterStatus.Merged;

    /// <summary>Whether the caller submitted this request itself, through Open311.</summary>
    public static bool SubmittedBy(Matter m, Caller? caller) =>
        caller is not null && m.Intake.Channel == Channel.Open311 && m.Timeline.Count > 0 && m.Timeline[0].Actor == caller.Actor;

    public static Open311Object View(Matter m, bool detailed, Open311Catalog catalog, OrganizerDirectory directory, RegulationProfile profile)
    {
        ArgumentNullException.ThrowIfNull(m);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(profile);
        string? description = null, media = null;
        if (detailed) (description, media) = Open311Intake.SplitMedia(m.Intake.Description);
        var where = detailed ? m.Intake.Location : null;
        var closed = IsClosed(m.Status);
        var updated = closed && m.ClosedAt is { } closedAt ? closedAt : m.Timeline.Count > 0 ? m.Timeline[^1].At : m.Intake.ReceivedAt;
        return Open311Object.Of(
            ("service_request_id", Open311Value.Of(m.Id)),
            ("status", Open311Value.Of(closed ? "closed" : "open")),
            ("status_notes", Open311Value.Of(StatusNotes(m, detailed, profile))),
            ("service_name", Open311Value.Of(catalog.NameOf(catalog.CodeOf(directory, m.Intake.Category)))),
            ("service_code", Open311Value.Of(catalog.CodeOf(directory, m.Intake.Category))),
            ("description", Open311Value.Of(description)),
            ("agency_responsible", Open311Value.Of(Agency(m, directory))),
            ("service_notice", Open311Value.Of(Notice(m, directory))),
            ("requested_datetime", Open311Value.Of(m.Intake.ReceivedAt)),
            ("updated_datetime", Open311Value.Of(updated)),
            ("expected_datetime", Open311Value.Of(m.Deadlines.DueBy)),
            ("address", Open311Value.Of(where?.Address)),
            ("address_id", Open311Value.Of((string?)null)),
            ("zipcode", Open311Value.Of((string?)null)),
            ("lat", Open311Value.Of(where?.Lat)),
            ("long", Open311Value.Of(where?.Lon)),
            ("media_url", Open311Value.Of(media)));
    }

    /// <summary>The organizer unit's name; the unit's id if the directory no longer lists it.</summary>
    public static string? Agency(Matter m, OrganizerDirectory directory) =>
        m.Organizer is { } id ? directory.Find(id)?.Name.Zh ?? id : null;

    /// <summary>What the hotline will do next, and by when: the spec's "action expected to fulfill the request".</summary>
    public static string? Notice(Matter m, OrganizerDirectory directory)
    {
        if (IsClosed(m.Status)) return null;
        if (m.Status == MatterStatus.AwaitingDispatch)
        {
            return m.Deadlines.DispatchBy is { } by
                ? $"12345热线将于{Cst(by)}前将诉求派至承办单位。The hotline will pass the request to the responsible agency by {Cst(by)}."
                : "12345热线将尽快将诉求派至承办单位。The hotline will pass the request to the responsible agency shortly.";
        }
        var agency = Agency(m, directory);
        var en = m.Organizer is { } id && directory.Find(id) is { } unit ? unit.Name.En : agency;
        return m.Deadlines.DueBy is { } due
            ? $"由{agency}办理，应于{Cst(due)}前办结。Handled by {en}; due by {Cst(due)}."
            : $"由{agency}办理。Handled by {en}.";
    }

    private static string StatusNotes(Matter m, bool detailed, RegulationProfile profile)
    {
        var accepted = m.Replies.LastOrDefault(r => r.Accepted == true)?.Text;
        // Returns, reviews and refusals are internal steps: the citizen's view shows them as "being handled" (cf. MatterViews.Progress).
        return m.Status switch
        {
            MatterStatus.AwaitingDispatch => "已受理，待派单。Received; awaiting dispatch.",
            MatterStatus.AwaitingSignOff => "已派至承办单位。Passed to the responsible agency.",
            MatterStatus.Handling or MatterStatus.ReturnRequested or MatterStatus.ReplyUnderReview or MatterStatus.AwaitingVerification => "承办单位办理中。Being handled by the responsible agency.",
            MatterStatus.AwaitingEvaluation => detailed && accepted is not null
                ? $"已答复，待评价。Replied; awaiting the citizen's evaluation. 答复 / Reply: {accepted}"
                : "已答复，待评价。Replied; awaiting the citizen's evaluation.",
            MatterStatus.Closed => detailed && accepted is not null ? $"已办结。Resolved. 答复 / Reply: {accepted}" : "已办结。Resolved.",
            MatterStatus.Answered => detailed && m.Answer is { } answer ? $"已当场解答。Answered on the spot: {answer.Answer}" : "已当场解答。Answered on the spot.",
            // The guidance is the profile's standard text for the reason, the same for every citizen.
            MatterStatus.Rejected => m.Rejection is { } r && profile.NonAcceptanceReason(r.ReasonCode) is { } reason
                ? $"不予受理：{reason.Guidance.Zh} Not accepted: {reason.Guidance.En}"
                : "不予受理。Not accepted.",
            MatterStatus.Terminated => "已终止办理。Handling was terminated.",
            MatterStatus.Merged => m.MergedInto is { } target ? $"重复诉求，已并入{target}。Duplicate request, merged into {target}." : "重复诉求。Duplicate request.",
            _ => m.Status.ToString(),
        };
    }

    private static string Cst(DateTimeOffset t) => ChinaTime.ToChina(t).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
