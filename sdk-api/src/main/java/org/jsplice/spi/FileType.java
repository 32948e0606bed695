package org.jsplice.spi;

/** The file types of {@code st_mode}, as {@link PipeProvider#fileType(int)} reports them. */
public enum FileType {
    /** A pipe or FIFO. */
    FIFO("a pipe or FIFO"),
    /** A regular file. */
    REGULAR("a regular file"),
    /** A directory. */
    DIRECTORY("a directory"),
    /** A character device (a terminal, /dev/null, ...). */
    CHARACTER_DEVICE("a character device (a terminal, /dev/null, ...)"),
    /** A block device. */
    BLOCK_DEVICE("a block device"),
    /** A symbolic link. */
    SYMBOLIC_LINK("a symbolic link"),
    /** A socket. */
    SOCKET("a socket"),
    /** A file of unknown type. */
    UNKNOWN("a file of unknown type");

    private final String description;

    FileType(String description) {
        this.description = description;
    }

    /**
     * The type in words, such as {@code a regular file}.
     *
     * @return the words
     */
    public String description() {
        return description;
    }

    /**
     * The type of the {@code S_IFMT} bits of a mode.
     *
     * @param mode an {@code st_mode} or {@code stx_mode}
     * @return its type
     */
    public static FileType ofMode(int mode) {
        switch (mode & 0170000) {
            case 0010000: return FIFO;
            case 0100000: return REGULAR;
            case 0040000: return DIRECTORY;
            case 0020000: return CHARACTER_DEVICE;
            case 0060000: return BLOCK_DEVICE;
            case 0120000: return SYMBOLIC_LINK;
            case 0140000: return SOCKET;
            default: return UNKNOWN;
        }
    }
}
