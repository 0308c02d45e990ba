using System.Runtime.CompilerServices;
using System.Text.Json;
using Hotline.Orchestrations.Lifecycle;
using Hotline.Runtime.Organizers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hotline.Api.Open311;

/// <summary>
/// GeoReport v2 "type" of every service: <c>realtime</c> returns the service_request_id from POST, <c>batch</c>
/// returns a token that GET tokens/{token} resolves (wiki.open311.org/GeoReport_v2, GET Service List, "type").
/// </summary>
public enum Open311ResponseType { Realtime, Batch }

/// <summary>One entry of <c>Data/services.json</c>: how the hotline names a category to Open311 clients.</summary>
public sealed record Open311ServiceEntry(string? Code, string? Name, string? Description, IReadOnlyList<string>? Keywords);

/// <summary>The shape of <c>Data/services.json</c>.</summary>
public sealed record Open311CatalogFile(
    string? JurisdictionId, string? Changeset, string? Contact, string? KeyService, IReadOnlyList<Open311ServiceEntry>? Services);

/// <summary>A service as GET services lists it.</summary>
public sealed record Open311Service(string Code, string Name, string Description, string Keywords, string? Group);

/// <summary>
/// The Open311 face of the hotline's categories. The service list is the categories of the live organizer directory
/// (so a category staff add reaches Open311 clients without a deployment), named from <c>Data/services.json</c>:
/// service_name in Chinese, the description in English, group = the organizer unit that owns the category.
/// </summary>
public sealed class Open311Catalog
{
    public const string TypeAttribute = "type";

    /// <summary>
    /// The service that stands for every category no listed service covers: matters from other channels may carry a free
    /// category, and a request must still name a service of the list. Listed when services.json names it, owned by no unit.
    /// </summary>
    public const string OtherCode = "other";

    /// <summary>The group of the services no organizer unit owns.</summary>
    public const string HotlineGroup = "12345热线";

    private static readonly ConditionalWeakTable<IConfiguration, Open311Catalog> Loaded = new();

    private static readonly JsonSerializerOptions FileOptions = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, Open311ServiceEntry> _entries;
    private readonly List<string> _order;

    private Open311Catalog(Open311CatalogFile file, Open311ResponseType type)
    {
        JurisdictionId = Required(file.JurisdictionId, "jurisdictionId");
        Changeset = Required(file.Changeset, "changeset");
        Contact = Required(file.Contact, "contact");
        KeyService = Required(file.KeyService, "keyService");
        Type = type;
        _entries = new Dictionary<string, Open311ServiceEntry>(StringComparer.Ordinal);
        _order = [];
        foreach (var entry in file.Services ?? [])
        {
            var code = Required(entry.Code, "services[].code");
            Required(entry.Name, $"services[{code}].name");
            Required(entry.Description, $"services[{code}].description");
            if (!_entries.TryAdd(code, entry)) throw new FormatException($"services.json lists service '{code}' twice.");
            _order.Add(code);
        }
    }

    /// <summary>The jurisdiction this endpoint serves; the only jurisdiction_id it accepts.</summary>
    public string JurisdictionId { get; }

    /// <summary>Discovery's changeset: when the service list or definitions last changed.</summary>
    public string Changeset { get; }

    public string Contact { get; }

    public string KeyService { get; }

    public Open311ResponseType Type { get; }

    /// <summary>Codes named in services.json, in file order.</summary>
    public IReadOnlyList<string> NamedCodes => _order;

    public static Open311Catalog Parse(string json, Open311ResponseType type) =>
        new(JsonSerializer.Deserialize<Open311CatalogFile>(json, FileOptions)
            ?? throw new FormatException("services.json is empty."), type);

    /// <summary>
    /// The catalogue of this host: <c>Hotline:Open311:ServicesFile</c> (default <c>Data/services.json</c>, relative to the
    /// content root) and <c>Hotline:Open311:Type</c> (<c>realtime</c>, the default, or <c>batch</c>). Read once per host.
    /// </summary>
    public static Open311Catalog For(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        return Loaded.GetValue(configuration, c =>
        {
            var root = services.GetRequiredService<IHostEnvironment>().ContentRootPath;
            var path = Path.Combine(root, c["Hotline:Open311:ServicesFile"] ?? Path.Combine("Data", "services.json"));
            var typeText = c["Hotline:Open311:Type"];
            var type = string.IsNullOrEmpty(typeText) ? Open311ResponseType.Realtime
                : Enum.TryParse<Open311ResponseType>(typeText, ignoreCase: true, out var parsed) && !typeText.All(char.IsAsciiDigit) ? parsed
                : throw new FormatException($"Hotline:Open311:Type must be realtime or batch, not '{typeText}'.");
            return Parse(File.ReadAllText(path), type);
        });
    }

    /// <summary>Every category some organizer unit owns, named where services.json names it, in its order.</summary>
    public IReadOnlyList<Open311Service> Services(OrganizerDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var owners = new Dictionary<string, OrganizerUnit>(StringComparer.Ordinal);
        var unnamed = new List<string>();
        foreach (var unit in directory.All.OrderBy(u => u.Id, StringComparer.Ordinal))
        {
            foreach (var category in unit.Categories)
            {
                if (owners.TryAdd(category, unit) && !_entries.ContainsKey(category)) unnamed.Add(category);
            }
        }
        var listed = _order.Where(owners.ContainsKey).Concat(unnamed).Select(code => Describe(code, owners[code].Name.Zh)).ToList();
        if (!owners.ContainsKey(OtherCode) && _entries.ContainsKey(OtherCode)) listed.Add(Describe(OtherCode, HotlineGroup));
        return listed;
    }

    /// <summary>The service_code a matter is shown under: its category when that is a listed service, else <see cref="OtherCode"/>.</summary>
    public string CodeOf(OrganizerDirectory directory, string category) =>
        Find(directory, category) is not null || !_entries.ContainsKey(OtherCode) ? category : OtherCode;

    public Open311Service? Find(OrganizerDirectory directory, string code) =>
        Services(directory).FirstOrDefault(s => string.Equals(s.Code, code, StringComparison.Ordinal));

    /// <summary>The service_name of a category, for matters whatever their channel; the code itself when unnamed.</summary>
    public string NameOf(string category) => _entries.TryGetValue(category, out var e) ? e.Name! : category;

    private Open311Service Describe(string code, string group) =>
        _entries.TryGetValue(code, out var e)
            ? new Open311Service(code, e.Name!, e.Description!, string.Join(", ", e.Keywords ?? []), group)
            : new Open311Service(code, code, "", "", group);

    /// <summary>The hotline's matter types as the one attribute every service defines; complaint when not sent.</summary>
    public static readonly IReadOnlyList<(MatterType Type, string Name)> MatterTypes =
    [
        (MatterType.Complaint, "投诉 / Complaint"),
        (MatterType.Help, "求助 / Request for help"),
        (MatterType.Report, "举报 / Report of wrongdoing"),
        (MatterType.Suggestion, "建议 / Suggestion"),
        (MatterType.Consultation, "咨询 / Enquiry"),
    ];

    public static string Key(MatterType type) => JsonNamingPolicy.CamelCase.ConvertName(type.ToString());

    public static MatterType? ParseType(string key) =>
        MatterTypes.Select(t => (MatterType?)t.Type).FirstOrDefault(t => string.Equals(Key(t!.Value), key.Trim(), StringComparison.OrdinalIgnoreCase));

    private static string Required(string? value, string field) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException($"services.json needs {field}.") : value;
}
