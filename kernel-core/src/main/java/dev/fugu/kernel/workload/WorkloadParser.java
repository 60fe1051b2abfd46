package dev.fugu.kernel.workload;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Parses, checks and compiles the {@code .fw} workload language (DESIGN section 4,
 * docs/workloads.md). The first error found stops the parse: syntax errors in source order,
 * then unknown program references, a missing {@code proc main}, then reference cycles.
 */
public final class WorkloadParser
{
    public static final long MAX_CYCLES = 1_000_000_000_000L;
    public static final long MAX_PAGES = 1L << 24;
    public static final long MAX_COUNT = 10_000_000L;
    public static final int MAX_EXIT_CODE = 255;

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PARAMETER_VALUE = Pattern.compile("[A-Za-z0-9_.]+");
    private static final Pattern PARAMETER_DECLARATION = Pattern.compile("\\s*#\\s*param:\\s*(.*)");
    private static final Pattern PARAMETER_DEFAULT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=(\\S+)(\\s.*)?");
    private static final Pattern DESCRIPTION = Pattern.compile("\\s*#\\s*description:\\s*(.*?)\\s*");
    private static final Set<String> STATEMENTS = Set.of(
            "compute", "touch", "read", "write", "fork", "spawn", "exec", "thread", "exit", "texit", "wait",
            "waitall", "kill", "nocldwait", "sleep", "watch", "kevent", "ps", "repeat", "expect");

    private final String file;
    private final List<Token> tokens;
    private int next;
    private final Map<String, ProcDefinition> definitions = new LinkedHashMap<>();

    private WorkloadParser(String file, List<Token> tokens)
    {
        this.file = file;
        this.tokens = tokens;
    }

    /** Parses a workload without parameters. */
    public static Workload parse(String name, String file, String source)
            throws WorkloadException
    {
        return parse(name, file, source, Map.of());
    }

    /**
     * Parses a workload.
     *
     * @param name the workload's name (a built-in's name, or a file name without .fw)
     * @param file the file as error messages name it
     * @param source the text
     * @param parameters values for {@code ${NAME}} placeholders; they override the defaults
     * the file declares with {@code # param: NAME=DEFAULT}
     */
    public static Workload parse(String name, String file, String source, Map<String, String> parameters)
            throws WorkloadException
    {
        requireNonNull(name, "name is null");
        requireNonNull(file, "file is null");
        requireNonNull(source, "source is null");
        requireNonNull(parameters, "parameters is null");
        String[] lines = source.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].endsWith("\r")) {
                lines[i] = lines[i].substring(0, lines[i].length() - 1);
            }
        }
        Map<String, String> values = declaredParameters(file, lines);
        values.putAll(parameters);
        List<Token> tokens = tokenize(file, lines, values);
        WorkloadParser parser = new WorkloadParser(file, tokens);
        parser.parseFile();
        List<Program> programs = parser.check();
        return new Workload(name, file, source, description(lines), values, programs);
    }

    /** Parameters a file declares with {@code # param: NAME=DEFAULT [description]}, with their defaults. */
    public static Map<String, String> declaredParameters(String source)
    {
        try {
            return declaredParameters("", source.split("\n", -1));
        }
        catch (WorkloadException e) {
            return Map.of();
        }
    }

    /** The text of the first {@code # description:} comment before the first program. */
    public static Optional<String> description(String source)
    {
        return description(source.split("\n", -1));
    }

    private static Optional<String> description(String[] lines)
    {
        for (String line : lines) {
            Matcher matcher = DESCRIPTION.matcher(line);
            if (matcher.matches()) {
                return Optional.of(matcher.group(1));
            }
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                break;
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> declaredParameters(String file, String[] lines)
            throws WorkloadException
    {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < lines.length; i++) {
            Matcher declaration = PARAMETER_DECLARATION.matcher(lines[i]);
            if (!declaration.matches()) {
                continue;
            }
            Matcher parameter = PARAMETER_DEFAULT.matcher(declaration.group(1));
            if (!parameter.matches()) {
                throw new WorkloadException(file, i + 1, declaration.start(1) + 1,
                        "bad parameter declaration (expected '# param: NAME=DEFAULT description')");
            }
            if (values.containsKey(parameter.group(1))) {
                throw new WorkloadException(file, i + 1, declaration.start(1) + 1, "parameter '" + parameter.group(1) + "' declared twice");
            }
            values.put(parameter.group(1), parameter.group(2));
        }
        return values;
    }

    // ---------------------------------------------------------------- lexing

    private enum Kind
    {
        WORD, OPEN, CLOSE, SEMICOLON, NEWLINE, EOF
    }

    /**
     * A token; {@code columns[i]} is the source column of character i and {@code origins[i]} says
     * which placeholder produced it (null for characters written in the file).
     */
    private record Token(Kind kind, String text, int line, int[] columns, String[] origins)
    {
        int column()
        {
            return columns[0];
        }

        Position position()
        {
            return new Position(line, columns[0]);
        }

        String describe()
        {
            return switch (kind) {
                case WORD -> "'" + text + "'";
                case OPEN -> "'{'";
                case CLOSE -> "'}'";
                case SEMICOLON -> "';'";
                case NEWLINE -> "end of line";
                case EOF -> "end of file";
            };
        }

        boolean isWord(String word)
        {
            return kind == Kind.WORD && text.equals(word);
        }

        boolean endsStatement()
        {
            return kind == Kind.SEMICOLON || kind == Kind.NEWLINE || kind == Kind.CLOSE || kind == Kind.EOF;
        }
    }

    private static List<Token> tokenize(String file, String[] lines, Map<String, String> parameters)
            throws WorkloadException
    {
        List<Token> tokens = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            int lineNumber = i + 1;
            String raw = lines[i];
            int comment = raw.indexOf('#');
            String code = comment >= 0 ? raw.substring(0, comment) : raw;

            // Substitute placeholders, remembering each character's source column and origin.
            StringBuilder text = new StringBuilder();
            List<Integer> columns = new ArrayList<>();
            List<String> origins = new ArrayList<>();
            int at = 0;
            while (at < code.length()) {
                if (code.startsWith("${", at)) {
                    int end = code.indexOf('}', at + 2);
                    if (end < 0) {
                        throw new WorkloadException(file, lineNumber, at + 1, "unterminated placeholder '${' (expected '${NAME}')");
                    }
                    String name = code.substring(at + 2, end);
                    if (!PARAMETER_NAME.matcher(name).matches()) {
                        throw new WorkloadException(file, lineNumber, at + 1, "bad placeholder '${" + name + "}'");
                    }
                    String value = parameters.get(name);
                    if (value == null) {
                        throw new WorkloadException(file, lineNumber, at + 1,
                                "unknown parameter '${" + name + "}' (not given and no '# param: " + name + "=DEFAULT' declared)");
                    }
                    if (!PARAMETER_VALUE.matcher(value).matches()) {
                        throw new WorkloadException(file, lineNumber, at + 1,
                                "bad value '" + value + "' for parameter ${" + name + "} (must be one word of letters, digits, '_' or '.')");
                    }
                    String origin = "${" + name + "}=" + value;
                    for (int k = 0; k < value.length(); k++) {
                        text.append(value.charAt(k));
                        columns.add(at + 1);
                        origins.add(origin);
                    }
                    at = end + 1;
                    continue;
                }
                text.append(code.charAt(at));
                columns.add(at + 1);
                origins.add(null);
                at++;
            }

            int k = 0;
            while (k < text.length()) {
                char c = text.charAt(k);
                if (Character.isWhitespace(c)) {
                    k++;
                    continue;
                }
                Kind kind = switch (c) {
                    case '{' -> Kind.OPEN;
                    case '}' -> Kind.CLOSE;
                    case ';' -> Kind.SEMICOLON;
                    default -> Kind.WORD;
                };
                int start = k;
                if (kind == Kind.WORD) {
                    while (k < text.length() && !Character.isWhitespace(text.charAt(k)) && "{};".indexOf(text.charAt(k)) < 0) {
                        k++;
                    }
                }
                else {
                    k++;
                }
                int[] tokenColumns = new int[k - start];
                String[] tokenOrigins = new String[k - start];
                for (int j = start; j < k; j++) {
                    tokenColumns[j - start] = columns.get(j);
                    tokenOrigins[j - start] = origins.get(j);
                }
                tokens.add(new Token(kind, text.substring(start, k), lineNumber, tokenColumns, tokenOrigins));
            }
            Kind end = i == lines.length - 1 ? Kind.EOF : Kind.NEWLINE;
            tokens.add(new Token(end, "", lineNumber, new int[] {raw.length() + 1}, new String[1]));
        }
        return tokens;
    }

    // ---------------------------------------------------------------- parsing

    private record ProcDefinition(String name, Position position, List<Statement> body)
    {
    }

    private Token peek()
    {
        return tokens.get(next);
    }

    private Token advance()
    {
        Token token = tokens.get(next);
        if (token.kind() != Kind.EOF) {
            next++;
        }
        return token;
    }

    private WorkloadException error(Token token, String detail)
    {
        return error(token, 0, detail);
    }

    private WorkloadException error(Token token, int character, String detail)
    {
        int index = Math.min(character, token.columns().length - 1);
        String origin = token.origins()[index];
        String suffix = origin == null ? "" : " (from " + origin + ")";
        return new WorkloadException(file, token.line(), token.columns()[index], detail + suffix);
    }

    private void parseFile()
            throws WorkloadException
    {
        while (true) {
            Token token = peek();
            switch (token.kind()) {
                case EOF:
                    return;
                case NEWLINE:
                case SEMICOLON:
                    advance();
                    continue;
                case CLOSE:
                    throw error(token, "stray '}' with no open '{'");
                case OPEN:
                    throw error(token, "stray '{' (blocks open with 'proc NAME {' or 'repeat N {')");
                case WORD:
                    if (token.isWord("proc")) {
                        parseProc();
                        continue;
                    }
                    if (STATEMENTS.contains(token.text())) {
                        throw error(token, "statement '" + token.text() + "' outside a program (write it inside 'proc NAME { ... }')");
                    }
                    throw error(token, "expected 'proc NAME {', found " + token.describe());
            }
        }
    }

    private void parseProc()
            throws WorkloadException
    {
        Token proc = advance();
        Token nameToken = peek();
        if (nameToken.kind() != Kind.WORD) {
            throw error(proc, "proc: missing program name");
        }
        advance();
        String name = nameToken.text();
        if (!NAME.matcher(name).matches()) {
            throw error(nameToken, "proc: bad program name '" + name + "' (letters, digits, '_' and '-', not starting with a digit)");
        }
        ProcDefinition previous = definitions.get(name);
        if (previous != null) {
            throw error(nameToken, "duplicate program '" + name + "' (first defined at " + previous.position() + ")");
        }
        Token open = peek();
        if (open.kind() != Kind.OPEN) {
            throw error(open.kind() == Kind.WORD ? open : nameToken, "proc " + name + ": expected '{' after the name, found " + open.describe());
        }
        advance();
        List<Statement> body = parseBlock(open, "proc " + name);
        definitions.put(name, new ProcDefinition(name, nameToken.position(), body));
    }

    private List<Statement> parseBlock(Token open, String owner)
            throws WorkloadException
    {
        List<Statement> body = new ArrayList<>();
        while (true) {
            Token token = peek();
            switch (token.kind()) {
                case NEWLINE:
                case SEMICOLON:
                    advance();
                    continue;
                case EOF:
                    throw error(open, "missing '}': the '{' of " + owner + " opened here is still open at end of file");
                case CLOSE:
                    advance();
                    expectEnd("'}'");
                    return body;
                case OPEN:
                    throw error(token, "unexpected '{' (blocks open with 'proc NAME {' or 'repeat N {')");
                case WORD:
                    if (token.isWord("proc")) {
                        throw error(open, "missing '}': the '{' of " + owner + " opened here is still open at the 'proc' on line " + token.line());
                    }
                    body.add(parseStatement());
            }
        }
    }

    /** After a statement or a '}': a separator, a '}' or the end of the file. */
    private void expectEnd(String after)
            throws WorkloadException
    {
        Token token = peek();
        if (!token.endsStatement()) {
            throw error(token, "trailing garbage " + token.describe() + " after " + after + " (one statement a line, or separate them with ';')");
        }
    }

    private Statement parseStatement()
            throws WorkloadException
    {
        Token keyword = advance();
        Position at = keyword.position();
        String word = keyword.text();
        Statement statement;
        switch (word) {
            case "compute":
                statement = new Statement.Compute(amount(keyword, "CYCLES", MAX_CYCLES), at);
                break;
            case "sleep":
                statement = new Statement.Sleep(amount(keyword, "CYCLES", MAX_CYCLES), at);
                break;
            case "touch":
                statement = new Statement.Touch(amount(keyword, "PAGES", MAX_PAGES), at);
                break;
            case "read":
                statement = new Statement.Read(amount(keyword, "PAGES", MAX_PAGES), at);
                break;
            case "write":
                statement = new Statement.Write(amount(keyword, "PAGES", MAX_PAGES), at);
                break;
            case "fork":
                statement = new Statement.Fork(programRef(keyword), at);
                break;
            case "exec":
                statement = new Statement.Exec(programRef(keyword), at);
                break;
            case "thread":
                statement = new Statement.NewThread(programRef(keyword), at);
                break;
            case "spawn": {
                long count = number(operand(keyword, "N"), keyword, "N", 1, MAX_COUNT);
                statement = new Statement.Spawn(count, programRef(keyword), at);
                break;
            }
            case "exit":
                statement = new Statement.Exit((int) number(operand(keyword, "CODE"), keyword, "CODE", 0, MAX_EXIT_CODE), at);
                break;
            case "texit":
                statement = new Statement.Texit(at);
                break;
            case "wait": {
                boolean nohang = false;
                if (peek().isWord("nohang")) {
                    advance();
                    nohang = true;
                }
                else if (peek().kind() == Kind.WORD) {
                    throw error(peek(), "wait: expected 'nohang' or the end of the statement, found " + peek().describe());
                }
                statement = new Statement.Wait(nohang, at);
                break;
            }
            case "waitall":
                statement = new Statement.WaitAll(at);
                break;
            case "kill": {
                Target target = target(keyword);
                int signal = Signals.SIGKILL;
                if (peek().kind() == Kind.WORD) {
                    signal = signal(advance(), keyword);
                }
                statement = new Statement.Kill(target, signal, at);
                break;
            }
            case "nocldwait":
                statement = new Statement.NoCldWait(at);
                break;
            case "watch":
                statement = new Statement.Watch(target(keyword), at);
                break;
            case "kevent":
                statement = new Statement.Kevent(number(operand(keyword, "N"), keyword, "N", 1, MAX_COUNT), at);
                break;
            case "ps":
                statement = new Statement.Ps(at);
                break;
            case "repeat": {
                long count = number(operand(keyword, "N"), keyword, "N", 1, MAX_COUNT);
                Token open = peek();
                if (open.kind() != Kind.OPEN) {
                    throw error(open.kind() == Kind.WORD ? open : keyword, "repeat: expected '{' after the count on the same line, found " + open.describe());
                }
                advance();
                // parseBlock has checked what follows the closing '}'.
                return new Statement.Repeat(count, parseBlock(open, "repeat"), at);
            }
            case "expect":
                statement = parseExpect(keyword);
                break;
            default:
                throw error(keyword, "unknown statement '" + word + "'");
        }
        expectEnd("'" + word + "'");
        return statement;
    }

    private Statement parseExpect(Token keyword)
            throws WorkloadException
    {
        Token kindToken = operand(keyword, "exited CODE|signaled SIG|echild|none|events N|eagain");
        Position at = keyword.position();
        switch (kindToken.text()) {
            case "exited":
                return new Statement.Expect(ExpectKind.EXITED, number(operand(keyword, "CODE"), keyword, "CODE", 0, MAX_EXIT_CODE), at);
            case "signaled":
                return new Statement.Expect(ExpectKind.SIGNALED, signal(operand(keyword, "SIG"), keyword), at);
            case "echild":
                return new Statement.Expect(ExpectKind.ECHILD, 0, at);
            case "none":
                return new Statement.Expect(ExpectKind.NONE, 0, at);
            case "events":
                return new Statement.Expect(ExpectKind.EVENTS, number(operand(keyword, "N"), keyword, "N", 1, MAX_COUNT), at);
            case "eagain":
                return new Statement.Expect(ExpectKind.EAGAIN, 0, at);
            default:
                throw error(kindToken, "expect: unknown result " + kindToken.describe() + " (expected exited, signaled, echild, none, events or eagain)");
        }
    }

    /** The next token, which must be a word: the operand {@code what} of {@code keyword}. */
    private Token operand(Token keyword, String what)
            throws WorkloadException
    {
        Token token = peek();
        if (token.kind() != Kind.WORD) {
            throw error(keyword, keyword.text() + ": missing operand " + what);
        }
        return advance();
    }

    private Statement.ProgramRef programRef(Token keyword)
            throws WorkloadException
    {
        Token token = operand(keyword, "PROG");
        if (!NAME.matcher(token.text()).matches()) {
            throw error(token, keyword.text() + ": bad program name " + token.describe());
        }
        return new Statement.ProgramRef(token.text(), token.position());
    }

    private Target target(Token keyword)
            throws WorkloadException
    {
        Token token = operand(keyword, "last|all");
        if (token.text().equals("last")) {
            return Target.LAST;
        }
        if (token.text().equals("all")) {
            return Target.ALL;
        }
        throw error(token, keyword.text() + ": expected 'last' or 'all', found " + token.describe());
    }

    private int signal(Token token, Token keyword)
            throws WorkloadException
    {
        String text = token.text();
        if (!text.isEmpty() && Character.isDigit(text.charAt(0))) {
            return (int) number(token, keyword, "SIGNAL", 1, Signals.MAX_SIGNAL);
        }
        OptionalInt number = Signals.number(text);
        if (number.isEmpty()) {
            throw error(token, keyword.text() + ": unknown signal " + token.describe() + " (a number 1..31 or a name such as KILL or SIGTERM)");
        }
        if (number.getAsInt() > Signals.MAX_SIGNAL) {
            throw error(token, keyword.text() + ": " + Signals.name(number.getAsInt()) + " (" + number.getAsInt() + ") is out of range 1.." + Signals.MAX_SIGNAL);
        }
        return number.getAsInt();
    }

    private Amount amount(Token keyword, String what, long max)
            throws WorkloadException
    {
        Token token = operand(keyword, what);
        int dots = token.text().indexOf("..");
        if (dots < 0) {
            return Amount.of(number(token, 0, token.text().length(), keyword, what, 1, max));
        }
        long low = number(token, 0, dots, keyword, what, 1, max);
        long high = number(token, dots + 2, token.text().length(), keyword, what, 1, max);
        if (low > high) {
            throw error(token, keyword.text() + ": empty range " + token.describe() + " (LO must not be above HI)");
        }
        return new Amount(low, high);
    }

    private long number(Token token, Token keyword, String what, long min, long max)
            throws WorkloadException
    {
        return number(token, 0, token.text().length(), keyword, what, min, max);
    }

    /**
     * Parses characters [from, to) of a word as a decimal number in [min, max]; '_' may separate
     * digits. Never overflows: accumulation stops once the value is past max.
     */
    private long number(Token token, int from, int to, Token keyword, String what, long min, long max)
            throws WorkloadException
    {
        String text = token.text().substring(from, to);
        boolean valid = !text.isEmpty() && Character.isDigit(text.charAt(0)) && Character.isDigit(text.charAt(text.length() - 1));
        long value = 0;
        boolean tooLarge = false;
        for (int i = 0; valid && i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '_') {
                valid = text.charAt(i - 1) != '_';
                continue;
            }
            if (c < '0' || c > '9') {
                valid = false;
                break;
            }
            if (!tooLarge) {
                value = value * 10 + (c - '0');
                tooLarge = value > max;
            }
        }
        if (!valid) {
            String shown = text.isEmpty() ? "an empty number" : "'" + text + "'";
            throw error(token, from, keyword.text() + ": bad number " + shown + " for " + what + " (expected " + min + ".." + max + ")");
        }
        if (tooLarge || value < min) {
            throw error(token, from, keyword.text() + ": " + text + " is out of range " + min + ".." + max + " for " + what);
        }
        return value;
    }

    // ---------------------------------------------------------------- checking and compiling

    private List<Program> check()
            throws WorkloadException
    {
        Map<String, Integer> index = new HashMap<>();
        List<ProcDefinition> procs = new ArrayList<>(definitions.values());
        for (int i = 0; i < procs.size(); i++) {
            index.put(procs.get(i).name(), i);
        }
        for (ProcDefinition proc : procs) {
            checkReferences(proc.body(), index);
        }
        if (!index.containsKey(Workload.MAIN)) {
            throw new WorkloadException(file, 1, 1, "no 'proc main' in file (main is the program the workload starts with)");
        }
        new CycleFinder(procs, index).check();

        List<Program> programs = new ArrayList<>();
        for (int i = 0; i < procs.size(); i++) {
            ProcDefinition proc = procs.get(i);
            programs.add(Compiler.compile(proc.name(), i, proc.position(), proc.body(), index));
        }
        return programs;
    }

    private void checkReferences(List<Statement> body, Map<String, Integer> index)
            throws WorkloadException
    {
        for (Statement statement : body) {
            if (statement instanceof Statement.Repeat repeat) {
                checkReferences(repeat.body(), index);
                continue;
            }
            Statement.ProgramRef ref = reference(statement);
            if (ref != null && !index.containsKey(ref.name())) {
                throw new WorkloadException(file, ref.position(), "unknown program '" + ref.name() + "'");
            }
        }
    }

    /** The program a fork, spawn, exec or thread statement names; null for other statements. */
    static Statement.ProgramRef reference(Statement statement)
    {
        if (statement instanceof Statement.Fork fork) {
            return fork.program();
        }
        if (statement instanceof Statement.Spawn spawn) {
            return spawn.program();
        }
        if (statement instanceof Statement.Exec exec) {
            return exec.program();
        }
        if (statement instanceof Statement.NewThread thread) {
            return thread.program();
        }
        return null;
    }

    /**
     * Depth-first search over fork/spawn/exec/thread references, programs in file order and
     * references in source order; the first reference to a program still on the search path
     * closes a cycle.
     */
    private final class CycleFinder
    {
        private final List<ProcDefinition> procs;
        private final Map<String, Integer> index;
        // 0 unvisited, 1 on the path, 2 done
        private final int[] state;
        private final List<String> path = new ArrayList<>();

        CycleFinder(List<ProcDefinition> procs, Map<String, Integer> index)
        {
            this.procs = procs;
            this.index = index;
            this.state = new int[procs.size()];
        }

        void check()
                throws WorkloadException
        {
            for (int i = 0; i < procs.size(); i++) {
                if (state[i] == 0) {
                    visit(i);
                }
            }
        }

        private void visit(int program)
                throws WorkloadException
        {
            state[program] = 1;
            path.add(procs.get(program).name());
            visitBody(procs.get(program).body());
            path.remove(path.size() - 1);
            state[program] = 2;
        }

        private void visitBody(List<Statement> body)
                throws WorkloadException
        {
            for (Statement statement : body) {
                if (statement instanceof Statement.Repeat repeat) {
                    visitBody(repeat.body());
                    continue;
                }
                Statement.ProgramRef ref = reference(statement);
                if (ref == null) {
                    continue;
                }
                int target = index.get(ref.name());
                if (state[target] == 1) {
                    List<String> cycle = new ArrayList<>(path.subList(path.indexOf(ref.name()), path.size()));
                    cycle.add(ref.name());
                    throw new WorkloadException(file, ref.position(),
                            "cycle " + String.join(" -> ", cycle) + " (a program that can reach itself never ends)");
                }
                if (state[target] == 0) {
                    visit(target);
                }
            }
        }
    }

    /** Flattens a program's AST into instructions (see {@link Program}). */
    private static final class Compiler
    {
        private final Map<String, Integer> index;
        private long[] code = new long[64];
        private final List<Statement> statements = new ArrayList<>();
        private int maxDepth;

        private Compiler(Map<String, Integer> index)
        {
            this.index = index;
        }

        static Program compile(String name, int programIndex, Position position, List<Statement> body, Map<String, Integer> index)
        {
            Compiler compiler = new Compiler(index);
            compiler.block(body, 0);
            int count = compiler.statements.size();
            long[] code = java.util.Arrays.copyOf(compiler.code, count * Program.STRIDE);
            return new Program(name, programIndex, position, body, code, compiler.statements.toArray(new Statement[0]), compiler.maxDepth);
        }

        private void block(List<Statement> body, int depth)
        {
            for (Statement statement : body) {
                statement(statement, depth);
            }
        }

        private void statement(Statement statement, int depth)
        {
            if (statement instanceof Statement.Repeat repeat) {
                if (!hasWork(repeat.body())) {
                    // Nothing to run: a loop of no statements would only spin the cursor.
                    return;
                }
                int head = emit(Opcode.REPEAT, repeat.count(), depth, statement);
                maxDepth = Math.max(maxDepth, depth + 1);
                block(repeat.body(), depth + 1);
                emit(Opcode.END_REPEAT, head, depth, statement);
            }
            else if (statement instanceof Statement.Compute s) {
                emit(Opcode.COMPUTE, s.cycles().low(), s.cycles().high(), s);
            }
            else if (statement instanceof Statement.Touch s) {
                emit(Opcode.TOUCH, s.pages().low(), s.pages().high(), s);
            }
            else if (statement instanceof Statement.Read s) {
                emit(Opcode.READ, s.pages().low(), s.pages().high(), s);
            }
            else if (statement instanceof Statement.Write s) {
                emit(Opcode.WRITE, s.pages().low(), s.pages().high(), s);
            }
            else if (statement instanceof Statement.Sleep s) {
                emit(Opcode.SLEEP, s.cycles().low(), s.cycles().high(), s);
            }
            else if (statement instanceof Statement.Fork s) {
                emit(Opcode.FORK, index.get(s.program().name()), 0, s);
            }
            else if (statement instanceof Statement.Spawn s) {
                emit(Opcode.SPAWN, s.count(), index.get(s.program().name()), s);
            }
            else if (statement instanceof Statement.Exec s) {
                emit(Opcode.EXEC, index.get(s.program().name()), 0, s);
            }
            else if (statement instanceof Statement.NewThread s) {
                emit(Opcode.THREAD, index.get(s.program().name()), 0, s);
            }
            else if (statement instanceof Statement.Exit s) {
                emit(Opcode.EXIT, s.code(), 0, s);
            }
            else if (statement instanceof Statement.Texit s) {
                emit(Opcode.TEXIT, 0, 0, s);
            }
            else if (statement instanceof Statement.Wait s) {
                emit(Opcode.WAIT, s.nohang() ? 1 : 0, 0, s);
            }
            else if (statement instanceof Statement.WaitAll s) {
                emit(Opcode.WAITALL, 0, 0, s);
            }
            else if (statement instanceof Statement.Kill s) {
                emit(Opcode.KILL, s.target().ordinal(), s.signal(), s);
            }
            else if (statement instanceof Statement.NoCldWait s) {
                emit(Opcode.NOCLDWAIT, 0, 0, s);
            }
            else if (statement instanceof Statement.Watch s) {
                emit(Opcode.WATCH, s.target().ordinal(), 0, s);
            }
            else if (statement instanceof Statement.Kevent s) {
                emit(Opcode.KEVENT, s.count(), 0, s);
            }
            else if (statement instanceof Statement.Ps s) {
                emit(Opcode.PS, 0, 0, s);
            }
            else if (statement instanceof Statement.Expect s) {
                emit(Opcode.EXPECT, s.kind().ordinal(), s.value(), s);
            }
            else {
                throw new IllegalStateException("statement not compiled: " + statement);
            }
        }

        private static boolean hasWork(List<Statement> body)
        {
            for (Statement statement : body) {
                if (!(statement instanceof Statement.Repeat repeat) || hasWork(repeat.body())) {
                    return true;
                }
            }
            return false;
        }

        private int emit(Opcode opcode, long a, long b, Statement statement)
        {
            int instruction = statements.size();
            int base = instruction * Program.STRIDE;
            if (base + Program.STRIDE > code.length) {
                code = java.util.Arrays.copyOf(code, code.length * 2);
            }
            code[base + Program.OPCODE] = opcode.ordinal();
            code[base + Program.A] = a;
            code[base + Program.B] = b;
            code[base + Program.POSITION] = Program.packPosition(statement.position());
            statements.add(statement);
            return instruction;
        }
    }
}
