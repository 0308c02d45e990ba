using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Hotline.Orchestrations.Tests.Coverage;

/// <summary>One row of <c>orchestrations/Coverage/coverage.csv</c>: one article (or numbered item) of a seed document.</summary>
public sealed record CoverageRow(
    int Line,
    string Document,
    string Seed,
    string Article,
    string Requires,
    string Status,
    IReadOnlyList<string> Where,
    IReadOnlyList<string> Tests,
    string Reason)
{
    /// <summary>The article number and item of a numbered row ("20(6)" → 20, "6"); null for documents without articles.</summary>
    public (int Number, string? Item)? Numbered
    {
        get
        {
            var m = Regex.Match(Article, @"^(\d+)(?:\((\w+)\))?$");
            return m.Success ? (int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture), m.Groups[2].Success ? m.Groups[2].Value : null) : null;
        }
    }

    public override string ToString() => $"line {Line}: {Document} {Article}";
}

/// <summary>An article a profile's <c>basis</c> names: "Fujian art. 20(6)" → (Fujian, "20", "6"); "001" → (001, null, null).</summary>
public sealed record ArticleRef(string Document, string? Article, string? Item)
{
    public override string ToString() => $"{Document}{(Article is null ? "" : " " + Article)}{(Item is null ? "" : $"({Item})")}";
}

/// <summary>A rule of a profile file that carries a <c>basis</c>, named as the map names it (<c>fujian.json:signOff</c>).</summary>
public sealed record BasisRule(string Path, string Basis);

/// <summary>Reads the coverage map, the profiles' bases and the repository's sources for <see cref="CoverageMapTests"/>.</summary>
public static class CoverageMap
{
    public static readonly string[] Documents = ["Weifang", "001", "Fujian", "Guangzhou"];
    public static readonly string[] Statuses = ["implemented", "partial", "out of scope", "not yet"];

    private static readonly string[] Header = ["document", "seed", "article", "requires", "status", "where", "tests", "reason"];

    public static string RepositoryRoot([CallerFilePath] string here = "")
    {
        for (var dir = new DirectoryInfo(Path.GetDirectoryName(here)!); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Hotline.Functions.sln"))) return dir.FullName;
        }
        throw new DirectoryNotFoundException($"No Hotline.Functions.sln above {here}.");
    }

    public static string MapPath => Path.Combine(RepositoryRoot(), "orchestrations", "Coverage", "coverage.csv");

    public static string ProfilesDirectory => Path.Combine(RepositoryRoot(), "orchestrations", "Profiles");

    public static IReadOnlyList<CoverageRow> Rows => LazyRows.Value;

    private static readonly Lazy<IReadOnlyList<CoverageRow>> LazyRows = new(() => Parse(File.ReadAllText(MapPath)));

    public static IReadOnlyList<CoverageRow> Parse(string csv)
    {
        var records = ReadCsv(csv);
        if (records.Count == 0 || !records[0].Fields.SequenceEqual(Header))
            throw new FormatException($"The map's header must be: {string.Join(",", Header)}.");
        return records.Skip(1).Select(r =>
        {
            if (r.Fields.Count != Header.Length)
                throw new FormatException($"Line {r.Line} has {r.Fields.Count} fields, not {Header.Length}.");
            var f = r.Fields.Select(x => x.Trim()).ToArray();
            return new CoverageRow(r.Line, f[0], f[1], f[2], f[3], f[4], List(f[5]), List(f[6]), f[7]);
        }).ToArray();

        static string[] List(string field) => field.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>RFC 4180: comma-separated, fields with commas, quotes or line breaks in double quotes, "" for a quote.</summary>
    public static IReadOnlyList<(int Line, IReadOnlyList<string> Fields)> ReadCsv(string text)
    {
        var records = new List<(int, IReadOnlyList<string>)>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var line = 1;
        var recordLine = 1;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else { if (c == '\n') line++; field.Append(c); }
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c == '\r') { }
            else if (c == '\n')
            {
                fields.Add(field.ToString()); field.Clear();
                if (fields.Count > 1 || fields[0].Length > 0) records.Add((recordLine, fields.ToArray()));
                fields.Clear();
                recordLine = ++line;
            }
            else field.Append(c);
        }
        if (quoted) throw new FormatException($"An unclosed quote starts in the record of line {recordLine}.");
        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add((recordLine, fields.ToArray()));
        }
        return records;
    }

    /// <summary>Every <c>basis</c> in the profile files, with the path of the rule that carries it.</summary>
    public static IReadOnlyList<BasisRule> ProfileBases()
    {
        var rules = new List<BasisRule>();
        var options = new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip };
        foreach (var file in Directory.GetFiles(ProfilesDirectory, "*.json").Order(StringComparer.Ordinal))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file), options);
            Collect(doc.RootElement, Path.GetFileName(file), null, rules);
        }
        return rules;
    }

    /// <summary>
    /// A rule's path is its file and top-level key (<c>fujian.json:signOff</c>); an entry of a list that has a
    /// <c>code</c> adds it (<c>fujian.json:nonAcceptance/emergency</c>; in the shared catalog <c>non-acceptance.json:emergency</c>).
    /// </summary>
    private static void Collect(JsonElement e, string file, string? path, List<BasisRule> into)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    if (p.Name == "basis" && p.Value.ValueKind == JsonValueKind.String)
                        into.Add(new BasisRule($"{file}:{path}", p.Value.GetString()!));
                    else
                        Collect(p.Value, file, path ?? p.Name, into);
                }
                break;
            case JsonValueKind.Array:
                foreach (var item in e.EnumerateArray())
                {
                    var code = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String
                        ? c.GetString()
                        : null;
                    var itemPath = (path, code) switch
                    {
                        (null, null) => null,
                        (null, { } k) => k,
                        ({ } p, null) => p,
                        ({ } p, { } k) => $"{p}/{k}",
                    };
                    Collect(item, file, itemPath, into);
                }
                break;
            default:
                break;
        }
    }

    /// <summary>All rule paths a profile file has: top-level keys and the codes of list entries under them.</summary>
    public static IReadOnlySet<string> ProfilePaths() =>
        ProfileBases().Select(b => b.Path)
            .Concat(Directory.GetFiles(ProfilesDirectory, "*.json").SelectMany(TopLevelKeys))
            .ToHashSet(StringComparer.Ordinal);

    private static IEnumerable<string> TopLevelKeys(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        return doc.RootElement.ValueKind == JsonValueKind.Object
            ? doc.RootElement.EnumerateObject().Select(p => $"{Path.GetFileName(file)}:{p.Name}").ToArray()
            : [];
    }

    private static readonly Regex Numbered = new(
        @"\b(?<doc>Fujian|Weifang)(?:\s+art\.?)?\s+(?<list>\d+(?:\(\d+\))?(?:\s*-\s*(?:\d+)?(?:\(\d+\))?)?(?:\s*,\s*\d+(?:\(\d+\))?(?:\s*-\s*(?:\d+)?(?:\(\d+\))?)?)*)",
        RegexOptions.CultureInvariant);

    private static readonly Regex OneOrRange = new(@"(?<a>\d+)?(?:\((?<i>\d+)\))?(?:\s*-\s*(?<b>\d+)?(?:\((?<j>\d+)\))?)?", RegexOptions.CultureInvariant);

    // "001 sets none", "Guangzhou ... not in seeds/004": a document named for what it does NOT say cites no article.
    private static readonly Regex Unnumbered = new(
        @"(?<not>not in\s+)?\b(?<doc>001|Guangzhou|seeds/004)\b(?<item>\s+not accepted\s+\(\d+\))?(?<none>\s+(?:sets|does)\s+no)?",
        RegexOptions.CultureInvariant);

    /// <summary>The articles one basis names. Ranges ("21-22", "26(3)-(4)") and lists ("17, 19") are spread out.</summary>
    public static IReadOnlyList<ArticleRef> References(string basis)
    {
        var refs = new List<ArticleRef>();
        foreach (Match m in Numbered.Matches(basis))
        {
            var doc = m.Groups["doc"].Value;
            foreach (var part in m.Groups["list"].Value.Split(','))
            {
                var r = OneOrRange.Match(part.Trim());
                var a = r.Groups["a"].Value;
                var i = r.Groups["i"].Success ? r.Groups["i"].Value : null;
                if (!r.Groups["b"].Success && !r.Groups["j"].Success)
                {
                    refs.Add(new ArticleRef(doc, a, i));
                }
                else if (r.Groups["b"].Success && !r.Groups["j"].Success && i is null)
                {
                    for (var n = int.Parse(a, CultureInfo.InvariantCulture); n <= int.Parse(r.Groups["b"].Value, CultureInfo.InvariantCulture); n++)
                        refs.Add(new ArticleRef(doc, n.ToString(CultureInfo.InvariantCulture), null));
                }
                else if (!r.Groups["b"].Success && i is not null && r.Groups["j"].Success)
                {
                    for (var n = int.Parse(i, CultureInfo.InvariantCulture); n <= int.Parse(r.Groups["j"].Value, CultureInfo.InvariantCulture); n++)
                        refs.Add(new ArticleRef(doc, a, n.ToString(CultureInfo.InvariantCulture)));
                }
                else
                {
                    throw new FormatException($"Cannot read the range '{part}' in basis \"{basis}\".");
                }
            }
        }
        foreach (Match m in Unnumbered.Matches(basis))
        {
            if (m.Groups["not"].Success || m.Groups["none"].Success) continue;
            var doc = m.Groups["doc"].Value == "001" ? "001" : "Guangzhou";
            refs.Add(new ArticleRef(doc, null, m.Groups["item"].Success ? m.Groups["item"].Value.Trim() : null));
        }
        return refs.Distinct().ToArray();
    }

    /// <summary>Test methods of the repository: "Namespace.Class.Method" of each public method carrying [Fact] or [Theory] without Skip.</summary>
    public static IReadOnlySet<string> TestNames() => LazyTests.Value;

    private static readonly Lazy<IReadOnlySet<string>> LazyTests = new(() =>
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var files = SourceFiles("tests").Select(f => File.ReadAllText(f)).ToArray();
        // [Fact], [Theory] and the repository's own facts ([BrowserFact] skips itself only where Chromium is missing outside CI).
        var attributes = files.SelectMany(t => Regex.Matches(t, @"class\s+(\w+)Attribute\s*:\s*(?:Fact|Theory)Attribute\b").Select(m => m.Groups[1].Value))
            .Concat(["Fact", "Theory"]).ToArray();
        foreach (var text in files)
        {
            var ns = Regex.Match(text, @"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline);
            if (!ns.Success) continue;
            var classes = Regex.Matches(text, @"\bclass\s+(\w+)").Select(c => (c.Index, Name: c.Groups[1].Value)).ToArray();
            var lines = text.Split('\n');
            var offset = 0;
            for (var n = 0; n < lines.Length; offset += lines[n].Length + 1, n++)
            {
                var method = Regex.Match(lines[n], @"^\s*public\s+(?:static\s+)?(?:async\s+)?(?:void|Task)\s+(\w+)\s*\(");
                if (!method.Success) continue;
                var owner = classes.LastOrDefault(c => c.Index < offset);
                if (owner.Name is null || !IsActiveTest(lines, n, attributes)) continue;
                names.Add($"{ns.Groups[1].Value}.{owner.Name}.{method.Groups[1].Value}");
            }
        }
        return names;
    });

    // The attribute lines just above a method: a [Fact]/[Theory] makes it a test; one with Skip proves nothing.
    private static bool IsActiveTest(string[] lines, int method, string[] attributes)
    {
        for (var n = method - 1; n >= 0; n--)
        {
            var line = lines[n].Trim();
            if (attributes.Any(a => Regex.IsMatch(line, $@"^\[{a}\b")))
                return !line.Contains("Skip", StringComparison.Ordinal);
            if (!(line.StartsWith('[') || line.StartsWith("//", StringComparison.Ordinal) || line.Length == 0)) return false;
        }
        return false;
    }

    /// <summary>The product's sources (orchestrations/, functions/), read once: which files declare which types, their words, and the API's string literals.</summary>
    private sealed record ProductIndex(
        IReadOnlyDictionary<string, IReadOnlyList<IReadOnlySet<string>>> WordsOfFilesDeclaring,
        IReadOnlyList<string> ApiLiterals);

    private static readonly Lazy<ProductIndex> Product = new(() =>
    {
        var declaring = new Dictionary<string, List<IReadOnlySet<string>>>(StringComparer.Ordinal);
        var literals = new List<string>();
        var api = $"{Path.DirectorySeparatorChar}Hotline.Api{Path.DirectorySeparatorChar}";
        foreach (var file in SourceFiles("orchestrations").Concat(SourceFiles("functions")))
        {
            var text = File.ReadAllText(file);
            var words = Regex.Matches(text, @"\w+").Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
            foreach (Match d in Regex.Matches(text, @"\b(?:class|record|struct|interface|enum)\s+(?:struct\s+)?(\w+)"))
            {
                if (!declaring.TryGetValue(d.Groups[1].Value, out var files)) declaring[d.Groups[1].Value] = files = [];
                files.Add(words);
            }
            if (file.Contains(api, StringComparison.Ordinal))
                literals.AddRange(Regex.Matches(text, "\"([^\"\\n]*)\"").Select(m => m.Groups[1].Value));
        }
        return new ProductIndex(declaring.ToDictionary(k => k.Key, v => (IReadOnlyList<IReadOnlySet<string>>)v.Value, StringComparer.Ordinal), literals);
    });

    private static IEnumerable<string> SourceFiles(string under) =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), under), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));

    /// <summary>
    /// Whether a "where" entry names something that exists: a profile rule (<c>fujian.json:signOff</c>), a route
    /// (<c>POST /api/matters/{id}/reminder</c>), a page or asset (<c>organizer.html</c>), or a C# type or member
    /// (<c>AlarmKind.ContactDue</c>, <c>MatterLifecycle</c>).
    /// </summary>
    public static string? Missing(string where, IReadOnlySet<string> profilePaths)
    {
        if (Regex.IsMatch(where, @"^[\w-]+\.json:"))
            return profilePaths.Contains(where) ? null : "no such profile rule";
        var route = Regex.Match(where, @"^(GET|POST|PUT|DELETE|PATCH)\s+(/\S+)$");
        if (route.Success)
        {
            var last = route.Groups[2].Value.Split('/', StringSplitOptions.RemoveEmptyEntries).LastOrDefault(s => !s.StartsWith('{'));
            if (last is null) return "a route needs a literal segment";
            return Product.Value.ApiLiterals.Any(l => l.Contains(last, StringComparison.Ordinal))
                ? null
                : $"no route literal '{last}' in functions/Hotline.Api";
        }
        if (Regex.IsMatch(where, @"^[\w.-]+\.(html|js|css|json|csv)$"))
        {
            return Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "functions"), where, SearchOption.AllDirectories).Any()
                || Directory.EnumerateFiles(Path.Combine(RepositoryRoot(), "orchestrations"), where, SearchOption.AllDirectories).Any()
                ? null
                : "no such file under functions/ or orchestrations/";
        }
        var symbol = Regex.Match(where, @"^(?<type>[A-Z]\w*)(?:\.(?<member>\w+))?$");
        if (!symbol.Success) return "not a profile rule, route, page or C# symbol";
        if (!Product.Value.WordsOfFilesDeclaring.TryGetValue(symbol.Groups["type"].Value, out var declaring))
            return $"no type {symbol.Groups["type"].Value} in orchestrations/ or functions/";
        if (!symbol.Groups["member"].Success) return null;
        return declaring.Any(words => words.Contains(symbol.Groups["member"].Value)) ? null : $"{symbol.Groups["type"].Value} has no {symbol.Groups["member"].Value}";
    }
}
