using Azure;
using Azure.Data.Tables;

namespace Hotline.Runtime.Store;

/// <summary>One page of a query: its rows and the SDK's continuation token (null when no rows are left).</summary>
public sealed record TablePage(IReadOnlyList<TableEntity> Entities, string? ContinuationToken);

public static class TableQueries
{
    /// <summary>The ETag a write answered with: the version the next conditional write must name.</summary>
    public static ETag NewETag(this Response response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Headers.ETag ?? throw new InvalidOperationException($"The storage service answered {response.Status} without an ETag.");
    }

    /// <summary>
    /// One page of <paramref name="filter"/>, at most <paramref name="top"/> rows, from <paramref name="continuation"/>
    /// (a token an earlier page gave). The service may answer with fewer rows, even none, and a token.
    /// </summary>
    public static async Task<TablePage> QueryPageAsync(this TableClient table, string? filter, IEnumerable<string>? select = null, int top = 1000,
        string? continuation = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, top, select, cancellationToken).AsPages(continuation, top).ConfigureAwait(false))
        {
            return new TablePage(page.Values, page.ContinuationToken);
        }
        return new TablePage([], null);
    }
}

/// <summary>
/// Key rules of the Table service, checked before anything is sent: the SDK sends any string, and a key with a
/// forbidden character would fail at the service with a message that names no key, or (in a point read's URL)
/// address another row.
/// </summary>
public static class TableKeys
{
    /// <summary>Keys may be at most 1 KiB: 512 UTF-16 characters.</summary>
    public const int MaxLength = 512;

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the key when it contains '/', '\', '#', '?' or a
    /// control character (U+0000–U+001F, U+007F–U+009F), or is longer than <see cref="MaxLength"/>.
    /// </summary>
    public static void Validate(string? key, string keyName)
    {
        if (key is null)
        {
            throw new ArgumentNullException(keyName, $"{keyName} must not be null.");
        }
        if (key.Length > MaxLength)
        {
            throw new ArgumentException($"{keyName} is {key.Length} characters long; the Table service allows at most {MaxLength} (1 KiB).", keyName);
        }
        foreach (var c in key)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
            {
                throw new ArgumentException(
                    $"{keyName} '{Printable(key)}' contains the character {Printable(c.ToString())}, which the Table service forbids in keys.",
                    keyName);
            }
        }
    }

    private static string Printable(string s) =>
        string.Concat(s.Select(c => char.IsControl(c) ? $"\\u{(int)c:X4}" : c.ToString()));
}
