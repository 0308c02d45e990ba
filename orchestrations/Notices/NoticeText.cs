using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Hotline.Orchestrations.Profiles;
using Hotline.Orchestrations.Time;

namespace Hotline.Orchestrations.Notices;

/// <summary>Renders a notice as SMS text from the templates in <c>Notices/sms-templates.json</c>.</summary>
public static class NoticeText
{
    private static readonly Lazy<IReadOnlyDictionary<string, Text>> Templates = new(Load);

    /// <summary>The text; a notice that carries no link (<see cref="Notice.CarriesLink"/>) has its own template without one.</summary>
    public static string Render(Notice notice, string matterId, string? link, string language = "zh")
    {
        ArgumentNullException.ThrowIfNull(notice);
        var kind = JsonNamingPolicy.CamelCase.ConvertName(notice.Kind.ToString()) + (notice.CarriesLink ? "" : ".noLink");
        var template = Templates.Value[kind].In(language);
        var decision = notice.Approved is { } approved ? Templates.Value[approved ? "decision.approved" : "decision.refused"].In(language) : "";
        var deadline = notice.Deadline is { } d ? ChinaTime.ToChina(d).ToString("MM-dd HH:mm", CultureInfo.InvariantCulture) : "";
        return template
            .Replace("{matter}", matterId, StringComparison.Ordinal)
            .Replace("{deadline}", deadline, StringComparison.Ordinal)
            .Replace("{decision}", decision, StringComparison.Ordinal)
            .Replace("{link}", link ?? "", StringComparison.Ordinal);
    }

    private static Dictionary<string, Text> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Hotline.Notices.sms-templates.json")
            ?? throw new InvalidOperationException("Missing SMS templates.");
        var templates = JsonSerializer.Deserialize<Dictionary<string, Text>>(stream, ProfileCatalog.JsonOptions)
            ?? throw new FormatException("Empty SMS templates.");
        foreach (var kind in Enum.GetNames<NoticeKind>().Select(JsonNamingPolicy.CamelCase.ConvertName))
        {
            if (!templates.ContainsKey(kind)) throw new FormatException($"No SMS template for notice kind '{kind}'.");
        }
        return templates;
    }
}
