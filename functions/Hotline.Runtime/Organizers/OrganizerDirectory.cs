using System.Text.Json;
using Hotline.Orchestrations.Profiles;

namespace Hotline.Runtime.Organizers;

/// <summary>A person of an organizer unit. Staff phone numbers, not citizens' data.</summary>
public sealed record Contact(string Name, string Phone);

/// <summary>A government unit that handles matters: who works them, who answers for them, what it owns.</summary>
public sealed record OrganizerUnit(string Id, Text Name, Contact Handler, Contact Leader, IReadOnlyList<string> Districts, IReadOnlyList<string> Categories);

/// <summary>The organizer units of a deployment, loaded from a data file at start.</summary>
public sealed class OrganizerDirectory
{
    private readonly Dictionary<string, OrganizerUnit> _units;

    public OrganizerDirectory(IEnumerable<OrganizerUnit> units)
    {
        _units = new Dictionary<string, OrganizerUnit>(StringComparer.Ordinal);
        foreach (var unit in units)
        {
            if (string.IsNullOrWhiteSpace(unit.Id) || string.IsNullOrWhiteSpace(unit.Handler.Phone) || string.IsNullOrWhiteSpace(unit.Leader.Phone))
                throw new FormatException($"Organizer '{unit.Id}' needs an id and the phones of its handler and leader.");
            if (!_units.TryAdd(unit.Id, unit)) throw new FormatException($"Organizer '{unit.Id}' is listed twice.");
        }
    }

    public IReadOnlyCollection<OrganizerUnit> All => _units.Values;

    public OrganizerUnit? Find(string id) => _units.GetValueOrDefault(id);

    public static OrganizerDirectory Parse(string json) =>
        new(JsonSerializer.Deserialize<OrganizerUnit[]>(json, HotlineJson.Options) ?? throw new FormatException("Empty organizer directory."));
}
