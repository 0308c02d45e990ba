using System.Globalization;

namespace Hotline.Orchestrations.Tests.Coverage;

/// <summary>
/// The coverage map (<c>orchestrations/Coverage/coverage.csv</c>) accounts for every article of the seed regulations
/// and stays true: what the profiles cite is in it, and the tests, symbols and rules it names exist.
/// </summary>
public sealed class CoverageMapTests
{
    // The last article of each numbered document: Weifang ends with art. 41 (in force 2021-12-15, seeds/002),
    // Fujian with art. 34 (in force on promulgation, seeds/003). 000 is Weifang's arts. 1-17 in English.
    private static readonly Dictionary<string, int> LastArticle = new() { ["Weifang"] = 41, ["Fujian"] = 34 };

    private static readonly Dictionary<string, string[]> Seeds = new()
    {
        ["Weifang"] = ["000, 002", "002"],
        ["001"] = ["001"],
        ["Fujian"] = ["003"],
        ["Guangzhou"] = ["004"],
    };

    private static IReadOnlyList<CoverageRow> Rows => CoverageMap.Rows;

    [Fact]
    public void Every_article_of_the_numbered_seeds_has_a_row_and_no_row_is_listed_twice()
    {
        var problems = new List<string>();
        foreach (var (document, last) in LastArticle)
        {
            var numbers = Rows.Where(r => r.Document == document).Select(r => r.Numbered?.Number).ToHashSet();
            problems.AddRange(Enumerable.Range(1, last).Where(n => !numbers.Contains(n)).Select(n => $"{document} art. {n} has no row"));
            problems.AddRange(numbers.Where(n => n is null || n > last).Select(n => $"{document} has a row for article '{n}', which the seed does not have"));
        }
        foreach (var document in new[] { "001", "Guangzhou" })
        {
            if (!Rows.Any(r => r.Document == document)) problems.Add($"{document} has no rows");
        }
        problems.AddRange(Rows.GroupBy(r => (r.Document, r.Article)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Document} {g.Key.Article} is listed {g.Count()} times"));

        // An article split into items has no row of its own as well: one of the two would go stale.
        problems.AddRange(Rows.Where(r => r.Numbered is { Item: null } whole
                && Rows.Any(o => o.Document == r.Document && o.Numbered is { Item: not null } part && part.Number == whole.Number))
            .Select(r => $"{r} is listed whole and by item"));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_row_has_a_known_document_and_status_says_what_it_requires_and_accounts_for_itself()
    {
        var problems = new List<string>();
        foreach (var r in Rows)
        {
            if (!CoverageMap.Documents.Contains(r.Document)) problems.Add($"{r}: unknown document (one of {string.Join(", ", CoverageMap.Documents)})");
            else if (!Seeds[r.Document].Contains(r.Seed)) problems.Add($"{r}: seed '{r.Seed}' is not one of {string.Join(" | ", Seeds[r.Document])}");
            if (r.Document == "Weifang" && r.Numbered is { } n && r.Seed != (n.Number <= 17 ? "000, 002" : "002"))
                problems.Add($"{r}: 000 holds arts. 1-17 and 002 all 41, so the seed is '{(n.Number <= 17 ? "000, 002" : "002")}'");
            if (string.IsNullOrWhiteSpace(r.Requires)) problems.Add($"{r}: says nothing of what it requires");
            switch (r.Status)
            {
                case "implemented":
                    if (r.Where.Count == 0) problems.Add($"{r}: implemented, but where?");
                    if (r.Tests.Count == 0 && r.Reason.Length == 0) problems.Add($"{r}: implemented, with neither a test nor a reason why none can prove it");
                    break;
                case "partial":
                    if (r.Where.Count == 0) problems.Add($"{r}: partial, but where is the part that is done?");
                    if (r.Reason.Length == 0) problems.Add($"{r}: partial, without saying what is missing");
                    break;
                case "out of scope":
                    if (r.Reason.Length == 0) problems.Add($"{r}: out of scope, without saying why");
                    if (r.Tests.Count > 0) problems.Add($"{r}: out of scope, yet names tests");
                    break;
                case "not yet":
                    if (r.Reason.Length == 0) problems.Add($"{r}: not yet, without saying what is missing");
                    if (r.Tests.Count > 0) problems.Add($"{r}: not yet, yet names tests");
                    break;
                default:
                    problems.Add($"{r}: unknown status '{r.Status}' (one of {string.Join(", ", CoverageMap.Statuses)})");
                    break;
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_article_a_profile_cites_as_basis_has_a_row_and_every_profile_rule_is_placed_in_the_map()
    {
        var problems = new List<string>();
        var bases = CoverageMap.ProfileBases();
        Assert.NotEmpty(bases);
        foreach (var rule in bases)
        {
            var refs = CoverageMap.References(rule.Basis);
            foreach (var a in refs)
            {
                var found = a switch
                {
                    { Article: { } number } => Rows.Any(r => r.Document == a.Document && r.Numbered is { } n
                        && n.Number.ToString(CultureInfo.InvariantCulture) == number && (a.Item is null || n.Item == a.Item)),
                    { Item: { } item } => Rows.Any(r => r.Document == a.Document && r.Article == item),
                    // A document without article numbers (001, Guangzhou): one of its rows must say that this rule implements it.
                    _ => Rows.Any(r => r.Document == a.Document && r.Where.Contains(rule.Path)),
                };
                if (!found)
                {
                    problems.Add(a.Article is null && a.Item is null
                        ? $"{rule.Path} cites {a} (\"{rule.Basis}\"), but no {a.Document} row names {rule.Path} in 'where'"
                        : $"{rule.Path} cites {a} (\"{rule.Basis}\"), which has no row");
                }
            }
            if (!Rows.Any(r => r.Where.Contains(rule.Path))) problems.Add($"{rule.Path} (\"{rule.Basis}\") is named in no row's 'where'");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_test_the_map_names_exists_in_the_repository_and_is_not_skipped()
    {
        var tests = CoverageMap.TestNames();
        Assert.Contains($"{typeof(CoverageMapTests).FullName}.{nameof(Every_test_the_map_names_exists_in_the_repository_and_is_not_skipped)}", tests);
        var missing = Rows.SelectMany(r => r.Tests.Where(t => !tests.Contains(t)).Select(t => $"{r}: no test {t}")).ToArray();
        Assert.True(missing.Length == 0, string.Join("\n", missing));
    }

    [Fact]
    public void Every_rule_symbol_route_and_page_the_map_names_exists()
    {
        var paths = CoverageMap.ProfilePaths();
        var missing = Rows.SelectMany(r => r.Where.Select(w => (w, Why: CoverageMap.Missing(w, paths))).Where(x => x.Why is not null)
            .Select(x => $"{r}: '{x.w}': {x.Why}")).ToArray();
        Assert.True(missing.Length == 0, string.Join("\n", missing));
    }

    [Theory]
    [InlineData("Fujian art. 20(6): filed half a working day before expiry", "Fujian 20(6)")]
    [InlineData("Fujian art. 17, 19: reply within 1 working day of receipt", "Fujian 17|Fujian 19")]
    [InlineData("Fujian art. 30(4)/Weifang 22: a designated unit may not return", "Fujian 30(4)|Weifang 22")]
    [InlineData("Weifang 26(3)-(4): matters that should be solved", "Weifang 26(3)|Weifang 26(4)")]
    [InlineData("Fujian art. 21-22 (evaluation by the citizen); the window is a platform setting", "Fujian 21|Fujian 22")]
    [InlineData("Fujian art. 20(2) (reading): 3 working days once on the list", "Fujian 20(2)")]
    [InlineData("001 not accepted (5)", "001(not accepted (5))")]
    [InlineData("001: organizers sign within two hours; Fujian art. 17: the platform reminds", "Fujian 17|001")]
    [InlineData("Weifang sets none; two hours as in 001", "001")]
    [InlineData("001 sets none; 1 working day as in Fujian art. 14 and Guangzhou", "Fujian 14|Guangzhou")]
    [InlineData("platform setting: 001 sets no evaluation window", "")]
    [InlineData("not in seeds/004 (the measures set limits the report does not give); 5 working days as in Weifang 20", "Weifang 20")]
    [InlineData("Guangzhou measures (seeds/004): transferred within 1 working day", "Guangzhou")]
    public void Basis_references_are_read_with_their_items_ranges_and_lists_and_absences_cite_nothing(string basis, string expected) =>
        Assert.Equal(expected.Split('|', StringSplitOptions.RemoveEmptyEntries), CoverageMap.References(basis).Select(r => r.ToString()));

    [Fact]
    public void The_map_reader_takes_quoted_fields_with_commas_quotes_and_line_breaks_and_refuses_a_wrong_shape()
    {
        const string csv = "document,seed,article,requires,status,where,tests,reason\n"
            + "Fujian,003,20(6),\"extension, half a day \"\"before\"\"\",implemented,fujian.json:extension; ApplyForExtension,A.B.C,\"two\nlines\"\r\n";
        var row = Assert.Single(CoverageMap.Parse(csv));
        Assert.Equal("extension, half a day \"before\"", row.Requires);
        Assert.Equal(["fujian.json:extension", "ApplyForExtension"], row.Where);
        Assert.Equal((20, "6"), row.Numbered);
        Assert.Equal("two\nlines", row.Reason);
        Assert.Throws<FormatException>(() => CoverageMap.Parse("document,article\nFujian,1\n"));
        Assert.Throws<FormatException>(() => CoverageMap.Parse(csv.Replace(",A.B.C", "", StringComparison.Ordinal)));
    }

    [Fact]
    public void The_symbol_check_finds_real_names_and_refuses_invented_ones()
    {
        var paths = CoverageMap.ProfilePaths();
        Assert.Null(CoverageMap.Missing("fujian.json:signOff", paths));
        Assert.Null(CoverageMap.Missing("fujian.json:nonAcceptance/emergency", paths));
        Assert.Null(CoverageMap.Missing("AlarmKind.ContactDue", paths));
        Assert.Null(CoverageMap.Missing("POST /api/matters/{id}/reminder", paths));
        Assert.Null(CoverageMap.Missing("organizer.html", paths));
        Assert.NotNull(CoverageMap.Missing("fujian.json:noSuchRuleForTheGuard", paths));
        Assert.NotNull(CoverageMap.Missing("AlarmKind.NoSuchAlarmForTheGuard", paths));
        Assert.NotNull(CoverageMap.Missing("NoSuchCommandForTheGuard", paths));
        Assert.NotNull(CoverageMap.Missing("POST /api/matters/{id}/no-such-route-for-the-guard", paths));
        Assert.NotNull(CoverageMap.Missing("no-such-page-for-the-guard.html", paths));
    }
}
