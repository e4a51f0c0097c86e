/*
 * The cheapest FastCGI authorizer there can be, for the benchmark's floor case: a
 * single-threaded blocking loop that accepts a connection, reads records until the
 * empty PARAMS record that ends the request, writes a fixed answer (the bytes the
 * real daemon sends for a valid cookie, captured by the benchmark) and closes. No
 * parsing of params, no lookup: whatever Apache and the kernel cost per check is all
 * that is left. Usage: floor-authorizer PORT ANSWER-FILE (listens on 127.0.0.1).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char answer[65536];
static size_t answer_length;

/* Reads records until PARAMS (type 4) with no content; returns 0 then, -1 on EOF or error. */
static int read_request(int fd) {
  unsigned char buffer[65536 + 8];
  size_t filled = 0;
  for (;;) {
    size_t offset = 0;
    while (filled - offset >= 8) {
      size_t content = ((size_t)buffer[offset + 4] << 8) | buffer[offset + 5];
      size_t total = 8 + content + buffer[offset + 6];
      if (filled - offset < total) break;
      if (buffer[offset + 1] == 4 && content == 0) return 0;
      offset += total;
    }
    memmove(buffer, buffer + offset, filled - offset);
    filled -= offset;
    if (filled == sizeof buffer) return -1;
    ssize_t got = read(fd, buffer + filled, sizeof buffer - filled);
    if (got <= 0) return -1;
    filled += (size_t)got;
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s PORT ANSWER-FILE\n", argv[0]);
    return 2;
  }
  FILE *file = fopen(argv[2], "rb");
  if (file == NULL) {
    perror(argv[2]);
    return 1;
  }
  answer_length = fread(answer, 1, sizeof answer, file);
  fclose(file);

  int server = socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  setsockopt(server, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  struct sockaddr_in address = {0};
  address.sin_family = AF_INET;
  address.sin_port = htons((unsigned short)atoi(argv[1]));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (bind(server, (struct sockaddr *)&address, sizeof address) != 0 || listen(server, 511) != 0) {
    perror("listen");
    return 1;
  }
  printf("listening\n");
  fflush(stdout);
  for (;;) {
    int fd = accept(server, NULL, NULL);
    if (fd < 0) continue;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    if (read_request(fd) == 0) {
      ssize_t sent = write(fd, answer, answer_length);
      (void)sent;
    }
    close(fd);
  }
}
