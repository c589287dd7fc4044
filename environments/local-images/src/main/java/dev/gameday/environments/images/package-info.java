/**
 * The container images the environments run, and how they run on machines without registry access.
 *
 * <p>Code names the official images ({@link dev.gameday.environments.images.Images}: {@code redis:7.0},
 * {@code postgres:15}, ...). {@code scripts/build-images.sh} builds local stand-ins under {@code gameday.local/},
 * Testcontainers' own reaper and helper image included, and
 * {@link dev.gameday.environments.images.LocalImageSubstitutor} runs them whenever the Docker engine has them.
 */
package dev.gameday.environments.images;
