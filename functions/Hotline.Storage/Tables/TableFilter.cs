using System.Globalization;

namespace Hotline.Storage.Tables;

/// <summary>
/// Builds OData <c>$filter</c> expressions without injection: every interpolated value becomes a typed
/// literal, strings with their single quotes doubled.
/// <code>TableFilter.Create($"PartitionKey eq {matterId} and Due lt {now}")</code>
/// </summary>
public static class TableFilter
{
    /// <summary>Formats <paramref name="filter"/>, turning each argument into an OData literal.</summary>
    public static string Create(FormattableString filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var literals = filter.GetArguments().Select(a => (object)Literal(a)).ToArray();
        return string.Format(CultureInfo.InvariantCulture, filter.Format, literals);
    }

    /// <summary>
    /// The OData literal for a value: 'text' (quotes doubled), 42, 42L, 1.5, true, datetime'…Z',
    /// guid'…', X'hex'.
    /// </summary>
    /// <exception cref="ArgumentException">Null or an unsupported type.</exception>
    public static string Literal(object? value) => value switch
    {
        string s => Quote(s),
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d => DoubleLiteral(d),
        bool b => b ? "true" : "false",
        DateTimeOffset t => $"datetime'{TableEntityJson.FormatDateTime(t)}'",
        Guid g => $"guid'{g:D}'",
        byte[] bytes => $"X'{Convert.ToHexString(bytes)}'",
        null => throw new ArgumentException("Filter values cannot be null; the Table service does not store nulls.", nameof(value)),
        _ => throw new ArgumentException($"Type {value.GetType().Name} cannot be used in a table filter.", nameof(value)),
    };

    /// <summary>A string literal: wrapped in single quotes, inner single quotes doubled.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    private static string DoubleLiteral(double d)
    {
        if (!double.IsFinite(d))
        {
            throw new ArgumentException("NaN and infinities cannot be used in a table filter.", nameof(d));
        }
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        // Without a '.' or exponent the service would read the literal as Edm.Int32 and never match a double.
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }
}
