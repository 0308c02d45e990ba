using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Hotline.Runtime.Knowledge;

/// <summary>An article as the seed file spells it; its id is fixed so that seeding twice cannot create twins.</summary>
public sealed record KnowledgeSeedArticle(
    string Id,
    string Title,
    IReadOnlyList<string>? Questions,
    IReadOnlyList<string>? Keywords,
    string Answer,
    string? AnswerEn,
    string Category,
    string? Owner)
{
    public KnowledgeDraft ToDraft() => new(Title, Questions ?? [], Keywords ?? [], Answer, AnswerEn, Category, Owner);
}

/// <summary>
/// The knowledge data file (<c>Hotline:KnowledgeFile</c>, default <c>Data/knowledge.json</c> under the content
/// root): the alias groups search uses, read at every start, and the articles an empty knowledge base starts with.
/// Articles in the table are the truth once it has any; the file never overwrites what organizers have edited.
/// </summary>
public sealed record KnowledgeSeed(KnowledgeAliases Aliases, IReadOnlyList<KnowledgeSeedArticle> Articles)
{
    public const string Setting = "Hotline:KnowledgeFile";
    public const string DefaultFile = "Data/knowledge.json";

    public static readonly KnowledgeSeed Empty = new(KnowledgeAliases.None, []);

    private sealed record FileShape(IReadOnlyList<IReadOnlyList<string>>? Aliases, IReadOnlyList<KnowledgeSeedArticle>? Articles);

    public static KnowledgeSeed Parse(string json)
    {
        var file = JsonSerializer.Deserialize<FileShape>(json, HotlineJson.Options) ?? throw new FormatException("The knowledge file is empty.");
        var articles = file.Articles ?? [];
        foreach (var article in articles)
        {
            if (!KnowledgeRules.ValidId(article.Id)) throw new FormatException($"Knowledge article id '{article.Id}' must be lowercase letters, digits and dashes.");
        }
        if (articles.GroupBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new FormatException($"Knowledge article '{twice.Key}' is listed twice.");
        return new KnowledgeSeed(new KnowledgeAliases(file.Aliases ?? []), articles);
    }

    /// <summary>
    /// Reads the file the configuration names, relative to the content root. The runtime reads it itself because the
    /// hosts' settings record predates the knowledge base. A host without the default file runs with no seed and no
    /// aliases; a file that was configured by name and is missing stops the start, since search would silently degrade.
    /// An empty setting turns the file off.
    /// </summary>
    public static KnowledgeSeed Load(IConfiguration? configuration, IHostEnvironment? environment)
    {
        var configured = configuration?[Setting];
        if (configured is { Length: 0 }) return Empty;
        var path = Path.Combine(environment?.ContentRootPath ?? AppContext.BaseDirectory, configured ?? DefaultFile);
        if (!File.Exists(path))
        {
            return configured is null ? Empty : throw new FileNotFoundException($"The knowledge file {path} ({Setting}) does not exist.", path);
        }
        return Parse(File.ReadAllText(path));
    }
}
