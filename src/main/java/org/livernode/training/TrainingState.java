package org.livernode.training;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** {@code checkpoint/state.json}: where a run stands, so {@code --resume} continues it. */
public record TrainingState(int epochsDone, int bestEpoch, double bestValDsc, List<EpochRecord> history) {

    static final String FILE_NAME = "state.json";
    static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public TrainingState {
        history = List.copyOf(history);
    }

    static TrainingState read(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(FILE_NAME).toFile(), TrainingState.class);
    }

    void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
